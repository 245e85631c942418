// Everything the gateway itself may refuse, with stable codes (see README). Upstream answers,
// errors included, pass through unchanged; a failed upstream is an UpstreamError (502/503/504).
import { defineErrors } from '@shopnow/chassis';

export const gatewayErrors = defineErrors({
  'gateway.bad_path': { status: 400, title: 'The request path is not acceptable' },
  'gateway.ip_denied': { status: 403, title: 'This address may not use this route' },
  'gateway.rate_limited': { status: 429, title: 'Too many requests' },
  'gateway.cors_denied': { status: 403, title: 'This origin may not call the API from a browser' },
  'gateway.invalid_api_key': { status: 401, title: 'The API key is unknown or revoked' },
  'gateway.invalid_route_table': {
    status: 422,
    title: 'The route table file is invalid; the current table stays',
  },
});
