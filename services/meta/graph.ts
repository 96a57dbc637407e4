import { createRequire } from 'node:module';
import type {
  AdAccount,
  AdReportRun,
  AdSet,
  Campaign,
  FacebookAdsApi,
  FacebookAdsApiBatch,
} from 'facebook-nodejs-business-sdk';
import type { Config } from '../../lib/config';

type Sdk = typeof import('facebook-nodejs-business-sdk');

// The SDK takes half a second to load; a process that never talks to Meta (most CLI commands, a
// worker without META_ACCESS_TOKEN) should not pay for it.
const require = createRequire(import.meta.url);
let loaded: { sdk: Sdk; GraphApi: ReturnType<typeof defineGraphApi> } | undefined;

/**
 * facebook-nodejs-business-sdk with its Graph base URL and version taken from config. The SDK only
 * knows graph.facebook.com and its own version (static getters), so this API object builds each
 * URL itself and hands the SDK a full URL, which it then uses verbatim (as it does for paging.next).
 * One instance per process; nothing global is changed, so tests can talk to several sandboxes.
 */
function defineGraphApi(sdk: Sdk) {
  return class MetaGraphApi extends sdk.FacebookAdsApi {
    constructor(
      accessToken: string,
      readonly graphUrl: string,
      readonly apiVersion: string,
    ) {
      super(accessToken, 'en_US', false); // false: no crash reports sent to Meta from our processes
    }

    override call<T>(
      method: string,
      path: string | string[],
      params: Record<string, unknown> = {},
      files: Record<string, unknown> = {},
      multipart = false,
    ): Promise<T> {
      if (typeof path === 'string') return super.call<T>(method, path, params, files, multipart);
      const base = [this.graphUrl.replace(/\/$/, ''), this.apiVersion, ...path].join('/');
      const writes = method === 'POST' || method === 'PUT';
      const query = writes ? { access_token: this.accessToken } : { ...params, access_token: this.accessToken };
      return super.call<T>(
        method,
        `${base}?${sdk.FacebookAdsApi._encodeParams(query)}`,
        writes ? params : {},
        files,
        multipart,
      );
    }
  };
}

function sdkAndApi() {
  if (!loaded) {
    const sdk = require('facebook-nodejs-business-sdk') as Sdk;
    loaded = { sdk, GraphApi: defineGraphApi(sdk) };
  }
  return loaded;
}

export interface MetaGraph {
  api: FacebookAdsApi & { graphUrl: string; apiVersion: string };
  account(id: string): AdAccount;
  campaign(id: string): Campaign;
  adset(id: string): AdSet;
  /** An asynchronous insights job by its report_run_id (the SDK's own AdReportRun has no API object of ours). */
  reportRun(id: string): AdReportRun;
  /** A Graph API batch request (POST to the Graph root) on this API object. */
  batch(): FacebookAdsApiBatch;
}

export function createMetaGraph(
  config: Pick<Config, 'META_ACCESS_TOKEN' | 'META_GRAPH_URL' | 'META_API_VERSION'>,
): MetaGraph {
  if (!config.META_ACCESS_TOKEN) throw new Error('META_ACCESS_TOKEN is not set');
  const { sdk, GraphApi } = sdkAndApi();
  const api = new GraphApi(config.META_ACCESS_TOKEN, config.META_GRAPH_URL, config.META_API_VERSION);
  return {
    api,
    account: (id) => new sdk.AdAccount(id, {}, undefined, api),
    campaign: (id) => new sdk.Campaign(id, {}, undefined, api),
    adset: (id) => new sdk.AdSet(id, {}, undefined, api),
    reportRun: (id) => {
      // The SDK's AdReportRun ignores the id and API object it is given: it reads data.report_run_id
      // and takes the process-wide default API, which scaleflow never sets (see the note above).
      const run = new sdk.AdReportRun(null, { report_run_id: id });
      return Object.assign(run, { _api: api });
    },
    batch: () => new sdk.FacebookAdsApiBatch(api),
  };
}
