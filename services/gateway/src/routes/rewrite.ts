// The path a matched request is sent to upstream.
import type { RouteMatch } from './match-route.ts';

/**
 * Fill the route's rewrite template: `:params` re-encoded with encodeURIComponent, `**` with the
 * matched rest (normalised, so it holds no `..`), and `?query` appended when there is one.
 */
export function upstreamPath(match: RouteMatch, query: string): string {
  const template = match.route.rewritePattern;
  let path = '';
  for (const seg of template.segments) {
    path += '/';
    path += 'literal' in seg ? seg.literal : encodeURIComponent(match.params[seg.param] ?? '');
  }
  if (template.rest) {
    if (match.rest !== '') path += `/${match.rest}`;
    else if (match.trailingSlash) path += '/';
  }
  if (path === '') path = '/';
  return query === '' ? path : `${path}?${query}`;
}
