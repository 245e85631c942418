// A route's rule, checked at the edge: public, any signed-in caller, or one of some roles. The
// service behind checks again with the forwarded token; this keeps the obvious misses off it.
import { AppError, commonErrors, type UserIdentity } from '@shopnow/chassis';
import type { AuthRule } from '../routes/route-table-schema.ts';

export function authorizeRoute(rule: AuthRule, user: UserIdentity | undefined): void {
  if (rule === 'public') return;
  if (user === undefined)
    throw new AppError(commonErrors.unauthorized, 'This route needs an access token or an API key');
  if (rule === 'user') return;
  if (!user.roles.some((role) => rule.roles.includes(role))) {
    throw new AppError(commonErrors.forbidden, `This route needs the role ${rule.roles.join(' or ')}`);
  }
}
