// `admin.ts create-account --email <e> --password-file <path|-> [--display-name <n>] [--verified]
// [--user-id <uuid>]`, or `create-account --accounts-file <path>` for several at once (a JSON
// array of {email, password, displayName?, userId?, verified?}; one process for the launcher's
// whole demo seed instead of one per person):
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
import type pg from 'pg';
import { localPart, normaliseEmail } from '../domain/email.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { authCatalog } from '../events/catalog.ts';
import { hashPassword } from '../passwords/argon2.ts';
import { isCommonPassword } from '../passwords/common-passwords.ts';
import { createAccount } from './create-account.ts';

const USAGE =
  'usage: admin.ts create-account --email <email> [--password-file <path>|-] [--display-name <name>] [--verified] [--user-id <uuid>]\n' +
  '       admin.ts create-account --accounts-file <path>   (JSON array of {email, password, displayName?, userId?, verified?})\n' +
  '  the password is read from the file, or from stdin when the file is "-" or not given';

/** One account to create, as given (checked by createOne). */
interface AccountSpec {
  email: string;
  password: string;
  displayName?: string | undefined;
  userId?: string | undefined;
  verified: boolean;
}
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
      'accounts-file'?: string;
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
          'accounts-file': { type: 'string' },
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
    const events = outboxOnlyEvents({ service: 'auth', db: pool, catalog: authCatalog, logger });
    const create = (spec: AccountSpec) => createOne(spec, { pool, events }, io);

    const accountsFile = values['accounts-file'];
    if (accountsFile !== undefined) {
      if (values.email !== undefined || values['password-file'] !== undefined) {
        io.err(`create-account: --accounts-file goes alone\n${USAGE}`);
        return 2;
      }
      const specs = parseAccountsFile(await readFile(accountsFile, 'utf8'));
      if (typeof specs === 'string') {
        io.err(`create-account: ${accountsFile}: ${specs}\n${USAGE}`);
        return 2;
      }
      let worst = 0;
      for (const spec of specs) worst = Math.max(worst, await create(spec));
      return worst;
    }

    const file = values['password-file'];
    const raw =
      file === undefined || file === '-' ? await (io.stdin ?? readStdin)() : await readFile(file, 'utf8');
    return create({
      email: values.email ?? '',
      // One trailing line break is the file's, not the password's.
      password: raw.replace(/\r?\n$/, ''),
      displayName: values['display-name'],
      userId: values['user-id'],
      verified: values.verified === true,
    });
  };
}

/** Checks one account's fields and creates it; the exit code (0 also when it already exists as asked). */
async function createOne(
  spec: AccountSpec,
  deps: { pool: pg.Pool; events: ReturnType<typeof outboxOnlyEvents> },
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const email = normaliseEmail(spec.email);
  if (!email.ok) {
    io.err(`create-account: --email ${email.reason}\n${USAGE}`);
    return 2;
  }
  const userId = spec.userId;
  if (userId !== undefined && !UUID.test(userId)) {
    io.err(`create-account: --user-id must be a UUID\n${USAGE}`);
    return 2;
  }
  const verdict = checkPassword(spec.password, { email: email.email, isCommon: isCommonPassword });
  if (!verdict.ok) {
    io.err(`create-account: the password of ${email.email} ${verdict.reason}`);
    return 2;
  }
  const displayName = (spec.displayName ?? localPart(email.email)).trim().slice(0, MAX_DISPLAY_NAME);
  const passwordHash = await hashPassword(spec.password);
  const result = await withTransaction(deps.pool, (tx) =>
    createAccount(
      tx,
      { events: deps.events, clock: () => new Date() },
      {
        id: userId?.toLowerCase() ?? randomUUID(),
        email: email.email,
        displayName: displayName || email.email,
        passwordHash,
        verified: spec.verified,
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
}

/** The accounts file's entries, or what is wrong with it. */
function parseAccountsFile(text: string): AccountSpec[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return 'want a non-empty JSON array of accounts';
  const specs: AccountSpec[] = [];
  for (const [i, entry] of parsed.entries()) {
    const e = entry as Record<string, unknown>;
    const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof e.email !== 'string' ||
      typeof e.password !== 'string' ||
      !optionalText(e.displayName) ||
      !optionalText(e.userId) ||
      !(e.verified === undefined || typeof e.verified === 'boolean')
    ) {
      return `entry ${i} needs email and password (strings), optional displayName, userId, verified`;
    }
    specs.push({
      email: e.email,
      password: e.password,
      displayName: e.displayName as string | undefined,
      userId: e.userId as string | undefined,
      verified: e.verified === true,
    });
  }
  return specs;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
