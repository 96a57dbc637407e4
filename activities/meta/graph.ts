import { AdAccount, Campaign, FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import type { Config } from '../../lib/config';

/**
 * facebook-nodejs-business-sdk with its Graph base URL and version taken from config. The SDK only
 * knows graph.facebook.com and its own version (static getters), so this API object builds each
 * URL itself and hands the SDK a full URL, which it then uses verbatim (as it does for paging.next).
 * One instance per process; nothing global is changed, so tests can talk to several sandboxes.
 */
export class MetaGraphApi extends FacebookAdsApi {
  constructor(
    accessToken: string,
    readonly graphUrl: string,
    readonly apiVersion: string,
  ) {
    super(accessToken, 'en_US', false); // false: no crash reports sent to Meta from our processes
  }

  override call<T>(method: string, path: string | string[], params: Record<string, unknown> = {}, files: Record<string, unknown> = {}, multipart = false): Promise<T> {
    if (typeof path === 'string') return super.call<T>(method, path, params, files, multipart);
    const base = [this.graphUrl.replace(/\/$/, ''), this.apiVersion, ...path].join('/');
    const writes = method === 'POST' || method === 'PUT';
    const query = writes ? { access_token: this.accessToken } : { ...params, access_token: this.accessToken };
    return super.call<T>(method, `${base}?${FacebookAdsApi._encodeParams(query)}`, writes ? params : {}, files, multipart);
  }
}

export interface MetaGraph {
  api: MetaGraphApi;
  account(id: string): AdAccount;
  campaign(id: string): Campaign;
}

export function createMetaGraph(config: Pick<Config, 'META_ACCESS_TOKEN' | 'META_GRAPH_URL' | 'META_API_VERSION'>): MetaGraph {
  if (!config.META_ACCESS_TOKEN) throw new Error('META_ACCESS_TOKEN is not set');
  const api = new MetaGraphApi(config.META_ACCESS_TOKEN, config.META_GRAPH_URL, config.META_API_VERSION);
  return {
    api,
    account: (id) => new AdAccount(id, {}, undefined, api),
    campaign: (id) => new Campaign(id, {}, undefined, api),
  };
}
