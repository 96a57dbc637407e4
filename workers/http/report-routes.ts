import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { rootDir } from '../../services/paths';
import { reportPageFile } from '../../lib/reports/paths';
import type { Config } from '../../lib/config';
import { reportPageName, reportPageParamsSchema, type ReportPageParams } from '../../lib/reports/pages';
import { ReportLinkError, reportLinkKey, verifyReportLink } from '../../lib/reports/report-links';
import { scopeOf } from '../../lib/auth';
import { HttpError } from './errors';
import { tokenPolicy, verifyBearer } from './jwt';
import { pageHeaders } from './page-headers';
import { route, type HttpResponse, type InvalidInput, type RawContext, type Route } from './router';

const messagePage = Handlebars.compile(
  readFileSync(join(rootDir, 'workers/http/templates/report-message.hbs'), 'utf8'),
);

const TITLES: Record<number, string> = {
  400: 'Not a report address',
  401: 'Sign-in needed',
  403: 'This link does not open this report',
  404: 'No such report',
  410: 'This link has expired',
  503: 'Report links are not configured',
};

// The saved page has no scripts and loads nothing; pageHeaders keeps it that way.
const PAGE_HEADERS = pageHeaders();

const pageStatuses = [200, 400, 401, 403, 404, 410, 503] as const;

/** A bad date or page name, shown as the page's own 400 (as every other answer of this route). */
function invalidPage({ error }: InvalidInput): HttpResponse {
  const issue = error.issues[0]!;
  const field = String(issue.path[0]);
  const message = `path segment "${field}": ${issue.message}`;
  return { status: 400, html: messagePage({ title: TITLES[400], message }), headers: PAGE_HEADERS };
}

/**
 * The daily report pages on the web: `GET /reports/<date>/<team|owner-NAME>.html`, opened either by
 * the "View in browser" link of a report email (signed for that recipient and page) or with the
 * JSON API's bearer token, where a buyer sees only their own owner page.
 */
export function reportRoutes({ config }: { config: Config }): Route[] {
  const linkKey = config.APPROVAL_SECRET ? reportLinkKey(config.APPROVAL_SECRET) : undefined;
  const reportsRoot = resolve(config.REPORTS_DIR);

  async function authorise(ctx: RawContext, token: string | undefined, page: ReportPageParams): Promise<void> {
    if (token !== undefined) {
      if (!linkKey)
        throw new HttpError(
          503,
          'not_configured',
          'APPROVAL_SECRET is not set on the worker, so no report link can be checked.',
        );
      try {
        await verifyReportLink(linkKey, token, page, new Date());
      } catch (err) {
        if (!(err instanceof ReportLinkError)) throw err;
        if (err.problem === 'expired')
          throw new HttpError(
            410,
            'expired',
            'Report links expire like approval links. Open the report from a newer email, or ask for a fresh one.',
          );
        throw new HttpError(
          403,
          'forbidden',
          err.problem === 'other_page'
            ? 'This link was signed for another report.'
            : 'The link was changed or is not a scaleflow report link.',
        );
      }
      return;
    }
    if (!ctx.req.headers.authorization) {
      throw new HttpError(
        401,
        'unauthorized',
        'Open this report from the "View in browser" link in its email, or send "Authorization: Bearer <token>".',
      );
    }
    const scope = scopeOf(await verifyBearer(ctx.req.headers.authorization, config.JWT_SECRET, tokenPolicy(config)));
    if (scope.kind === 'owner' && page.page !== reportPageName(scope.owner)) {
      throw new HttpError(
        403,
        'forbidden',
        `A buyer token for "${scope.owner}" opens only ${reportPageName(scope.owner)}.html.`,
      );
    }
  }

  async function readPage(page: ReportPageParams): Promise<string> {
    const file = resolve(reportPageFile(reportsRoot, page));
    // The params schema already admits no separators or dots; this keeps it true if that ever loosens.
    if (!file.startsWith(reportsRoot + sep))
      throw new HttpError(400, 'invalid_request', 'the page is outside the reports folder');
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR')
        throw new HttpError(404, 'not_found', `There is no ${page.page} report for ${page.date}.`);
      throw err;
    }
  }

  return [
    route({
      method: 'GET',
      path: '/reports/:date/:page.html',
      summary: 'A daily report page, opened from its email link (token) or with a bearer token',
      // Either credential will do, so the handler checks them itself.
      access: 'public',
      params: reportPageParamsSchema,
      query: z.object({ token: z.string().optional() }),
      responses: Object.fromEntries(pageStatuses.map((s) => [s, 'text/html'])),
      invalid: invalidPage,
      async handler(ctx): Promise<HttpResponse> {
        try {
          const page = ctx.params;
          await authorise(ctx, ctx.query.token, page);
          return { html: await readPage(page), headers: PAGE_HEADERS };
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          const title = TITLES[err.status] ?? 'Report unavailable';
          return { status: err.status, html: messagePage({ title, message: err.message }), headers: PAGE_HEADERS };
        }
      },
    }),
  ];
}
