/**
 * The headers every HTML page the worker serves (approval pages, report pages and their messages)
 * sends. The pages have no scripts and load nothing, so the policy keeps it that way even if a
 * campaign name ever slipped through unescaped; frame-ancestors stops another site from framing
 * the Approve button under a decoy (clickjacking); no-referrer keeps signed links out of other
 * sites' logs; nosniff keeps a browser from reading a page as anything but what it says it is.
 */
export function pageHeaders(options: { forms?: 'self' | 'none' } = {}): Record<string, string> {
  const formAction = options.forms === 'self' ? "'self'" : "'none'";
  return {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
}
