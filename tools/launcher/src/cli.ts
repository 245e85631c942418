// The embedded runtime's command line: `npm start` and `npm run status`.
import { parseCommand, USAGE } from './args.ts';
import { reportError } from './commands/report-error.ts';
import { startCommand } from './commands/start.ts';
import { statusCommand } from './commands/status.ts';
import { loadSettings } from './settings.ts';

try {
  const command = parseCommand(process.argv.slice(2));
  if (command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
  } else {
    const settings = loadSettings();
    if (command.name === 'start') await startCommand(settings, command);
    else await statusCommand(settings, command);
  }
} catch (err) {
  reportError(err);
  process.exitCode = 1;
}
