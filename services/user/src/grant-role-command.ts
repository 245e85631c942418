// `admin.ts grant-role --user-id <uuid> --role admin|support|customer [--email <e>]`, or
// `grant-role --grants-file <path>` (a JSON array of {userId, role, email?}: the launcher's demo
// seed in one process): argument checks and output around commands/grant-role.ts. Exit codes: 0 done (or already so), 1 the
// user is unknown and no --email was given, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AdminCommand } from '@shopnow/chassis';
import { outboxOnlyEvents } from '@shopnow/events';
import { grantRole } from './commands/grant-role.ts';
import { isRole, MAX_EMAIL_LENGTH } from './domain/user.ts';
import { userCatalog } from './events/catalog.ts';

const USAGE =
  'usage: admin.ts grant-role --user-id <uuid> --role admin|support|customer [--email <email>]\n' +
  '       admin.ts grant-role --grants-file <path>   (JSON array of {userId, role, email?})';

interface Grant {
  userId?: unknown;
  role?: unknown;
  email?: unknown;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The shape check the contracts' `format: email` makes, bounded (no backtracking blow-up).
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@.]{1,63}$/;

export function grantRoleCommand(
  service: string,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): AdminCommand {
  return async (argv, { pool, logger }) => {
    const err = (line: string) => process.stderr.write(`${line}\n`);
    let values: { 'user-id'?: string; role?: string; email?: string; 'grants-file'?: string };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          'user-id': { type: 'string' },
          role: { type: 'string' },
          email: { type: 'string' },
          'grants-file': { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      err(`grant-role: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    const events = outboxOnlyEvents({ service, db: pool, catalog: userCatalog, logger });
    const grantOne = async ({ userId, role, email }: Grant): Promise<number> => {
      if (typeof userId !== 'string' || !UUID.test(userId)) return usage(err, '--user-id must be a UUID');
      if (!isRole(role)) return usage(err, '--role must be admin, support or customer');
      if (
        email !== undefined &&
        (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email))
      )
        return usage(err, '--email is not an email address');
      const result = await grantRole(pool, events, { userId: userId.toLowerCase(), role, email });
      if (result.outcome === 'email_required') {
        err(`grant-role: no user ${userId} yet; pass --email to create the record ahead of registration`);
        return 1;
      }
      out(JSON.stringify({ outcome: result.outcome, user: result.user }));
      return 0;
    };

    const file = values['grants-file'];
    if (file === undefined)
      return grantOne({ userId: values['user-id'], role: values.role, email: values.email });
    if (values['user-id'] !== undefined || values.role !== undefined)
      return usage(err, '--grants-file goes alone');
    let grants: unknown;
    try {
      grants = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      return usage(err, `${file}: ${(error as Error).message}`);
    }
    if (!Array.isArray(grants) || grants.some((g) => typeof g !== 'object' || g === null))
      return usage(err, `${file}: want a JSON array of {userId, role, email?}`);
    let worst = 0;
    for (const grant of grants as Grant[]) worst = Math.max(worst, await grantOne(grant));
    return worst;
  };
}

function usage(err: (line: string) => void, message: string): number {
  err(`grant-role: ${message}\n${USAGE}`);
  return 2;
}
