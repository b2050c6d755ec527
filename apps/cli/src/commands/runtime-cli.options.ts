import { Option } from 'commander';

/** Options of the commands that write through the domain; light (commander only). */
export function actorOption(): Option {
  return new Option('--actor <userId>', 'who runs the command (recorded in the event metadata)').default(process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');
}
