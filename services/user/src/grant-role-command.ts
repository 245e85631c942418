// `admin.ts grant-role --user-id <uuid> --role admin|support|customer [--email <e>]`: argument
// checks and output around commands/grant-role.ts. Exit codes: 0 done (or already so), 1 the
// user is unknown and no --email was given, 2 bad usage.
import { parseArgs } from 'node:util';
import type { AdminCommand } from '@shopnow/chassis';
import { outboxOnlyEvents } from '@shopnow/events';
import { grantRole } from './commands/grant-role.ts';
import { isRole, MAX_EMAIL_LENGTH } from './domain/user.ts';
import { userCatalog } from './events/catalog.ts';

const USAGE = 'usage: admin.ts grant-role --user-id <uuid> --role admin|support|customer [--email <email>]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The shape check the contracts' `format: email` makes, bounded (no backtracking blow-up).
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@.]{1,63}$/;

export function grantRoleCommand(
  service: string,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): AdminCommand {
  return async (argv, { pool, logger }) => {
    const err = (line: string) => process.stderr.write(`${line}\n`);
    let values: { 'user-id'?: string; role?: string; email?: string };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { 'user-id': { type: 'string' }, role: { type: 'string' }, email: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      err(`grant-role: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    const { 'user-id': userId, role, email } = values;
    if (userId === undefined || !UUID.test(userId)) return usage(err, '--user-id must be a UUID');
    if (!isRole(role)) return usage(err, '--role must be admin, support or customer');
    if (email !== undefined && (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)))
      return usage(err, '--email is not an email address');

    const events = outboxOnlyEvents({ service, db: pool, catalog: userCatalog, logger });
    const result = await grantRole(pool, events, { userId: userId.toLowerCase(), role, email });
    if (result.outcome === 'email_required') {
      err(`grant-role: no user ${userId} yet; pass --email to create the record ahead of registration`);
      return 1;
    }
    out(JSON.stringify({ outcome: result.outcome, user: result.user }));
    return 0;
  };
}

function usage(err: (line: string) => void, message: string): number {
  err(`grant-role: ${message}\n${USAGE}`);
  return 2;
}
