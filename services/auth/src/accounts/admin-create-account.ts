// `admin.ts create-account --email <e> --password-file <path|-> [--display-name <n>] [--verified]
// [--user-id <uuid>]`:
// an account for the launcher's demo users (admin, support, customers). The password comes from
// a file or stdin, never argv (argv is visible to every process on the machine). Re-running with
// an email that already has an account prints that account's id and changes nothing. `--user-id`
// fixes the new account's id (the launcher's seed knows it before it grants roles at the user
// service); an existing account with another id is then an error.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type AdminCommand, withTransaction } from '@shopnow/chassis';
import { outboxOnlyEvents } from '@shopnow/events';
import { localPart, normaliseEmail } from '../domain/email.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { authCatalog } from '../events/catalog.ts';
import { hashPassword } from '../passwords/argon2.ts';
import { isCommonPassword } from '../passwords/common-passwords.ts';
import { createAccount } from './create-account.ts';

const USAGE =
  'usage: admin.ts create-account --email <email> [--password-file <path>|-] [--display-name <name>] [--verified] [--user-id <uuid>]\n' +
  '  the password is read from the file, or from stdin when the file is "-" or not given';
const MAX_DISPLAY_NAME = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAccountCommand(io: {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin?: () => Promise<string>;
}): AdminCommand {
  return async (argv, { pool, logger }) => {
    let values: {
      email?: string;
      'password-file'?: string;
      'display-name'?: string;
      verified?: boolean;
      'user-id'?: string;
    };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          email: { type: 'string' },
          'password-file': { type: 'string' },
          'display-name': { type: 'string' },
          verified: { type: 'boolean', default: false },
          'user-id': { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (err) {
      io.err(`create-account: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    const email = normaliseEmail(values.email ?? '');
    if (!email.ok) {
      io.err(`create-account: --email ${email.reason}\n${USAGE}`);
      return 2;
    }
    const userId = values['user-id'];
    if (userId !== undefined && !UUID.test(userId)) {
      io.err(`create-account: --user-id must be a UUID\n${USAGE}`);
      return 2;
    }
    const file = values['password-file'];
    const raw =
      file === undefined || file === '-' ? await (io.stdin ?? readStdin)() : await readFile(file, 'utf8');
    // One trailing line break is the file's, not the password's.
    const password = raw.replace(/\r?\n$/, '');
    const verdict = checkPassword(password, { email: email.email, isCommon: isCommonPassword });
    if (!verdict.ok) {
      io.err(`create-account: the password ${verdict.reason}`);
      return 2;
    }
    const displayName = (values['display-name'] ?? localPart(email.email)).trim().slice(0, MAX_DISPLAY_NAME);
    const events = outboxOnlyEvents({ service: 'auth', db: pool, catalog: authCatalog, logger });
    const passwordHash = await hashPassword(password);
    const result = await withTransaction(pool, (tx) =>
      createAccount(
        tx,
        { events, clock: () => new Date() },
        {
          id: userId?.toLowerCase() ?? randomUUID(),
          email: email.email,
          displayName: displayName || email.email,
          passwordHash,
          verified: values.verified === true,
        },
      ),
    );
    if (result.outcome === 'taken') {
      io.err(`create-account: ${email.email} already has an account`);
      if (userId !== undefined && result.userId !== userId.toLowerCase()) {
        io.err(`create-account: its id is ${result.userId}, not ${userId}`);
        return 1;
      }
    }
    io.out(result.userId);
    return 0;
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
