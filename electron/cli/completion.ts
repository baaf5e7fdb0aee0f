// `proctor completion bash|zsh|fish`: completion scripts generated from the commands themselves, so a new
// command or option completes without touching this file.
import { Argument, type Command } from 'commander';

interface Entry {
  names: string[];
  summary: string;
  options: Array<{ flag: string; summary: string }>;
  /** Words the first argument takes: a sub-command's own commands, or an argument's choices. */
  words: string[];
}

function optionsOf(command: Command): Entry['options'] {
  return [
    ...command.options.flatMap((option) =>
      [option.long, option.short]
        .filter((flag): flag is string => !!flag)
        .map((flag) => ({ flag, summary: option.description })),
    ),
    { flag: '--help', summary: 'show help' },
  ];
}

function entries(program: Command): Entry[] {
  return program.commands.map((command) => {
    const argument = command.registeredArguments[0];
    return {
      names: [command.name(), ...command.aliases()],
      summary: command.description(),
      options: optionsOf(command),
      words:
        command.commands.length > 0
          ? command.commands.map((sub) => sub.name())
          : (argument?.argChoices ?? []),
    };
  });
}

const single = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(program: Command): string {
  const list = entries(program);
  const top = [...list.flatMap((entry) => entry.names), ...optionsOf(program).map((o) => o.flag)].join(' ');
  const cases = list
    .map(
      (entry) =>
        `    ${entry.names.join('|')}) words=${single([...entry.words, ...entry.options.map((o) => o.flag)].join(' '))} ;;`,
    )
    .join('\n');
  return `# proctor completion for bash: source <(proctor completion bash)
_proctor() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --socket) ((i++)) ;;
      -*) ;;
      *) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case $cmd in
    "") words=${single(top)} ;;
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _proctor proctor
`;
}

function zsh(program: Command): string {
  const list = entries(program);
  const described = (name: string, summary: string) => single(`${name.replace(/:/g, '\\:')}:${summary}`);
  const commands = list
    .flatMap((entry) => entry.names.map((name) => described(name, entry.summary)))
    .join(' ');
  const cases = list
    .map((entry) => {
      const words = [
        ...entry.words.map((word) => described(word, word)),
        ...entry.options.map((o) => described(o.flag, o.summary)),
      ];
      return `    ${entry.names.join('|')}) words=(${words.join(' ')}) ;;`;
    })
    .join('\n');
  return `#compdef proctor
# proctor completion for zsh: source <(proctor completion zsh), or save as _proctor in your $fpath
_proctor() {
  local -a commands words
  commands=(${commands})
  if (( CURRENT == 2 )); then
    _describe 'proctor command' commands
    return
  fi
  case $words[2] in
${cases}
  esac
  (( \${#words} )) && _describe 'option' words
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _proctor "$@"; else compdef _proctor proctor; fi
`;
}

function fish(program: Command): string {
  const lines = ['# proctor completion for fish: proctor completion fish | source', 'complete -c proctor -f'];
  for (const entry of entries(program)) {
    for (const name of entry.names)
      lines.push(
        `complete -c proctor -n __fish_use_subcommand -a ${single(name)} -d ${single(entry.summary)}`,
      );
    const when = single(`__fish_seen_subcommand_from ${entry.names.join(' ')}`);
    if (entry.words.length > 0)
      lines.push(`complete -c proctor -n ${when} -a ${single(entry.words.join(' '))}`);
    for (const option of entry.options) {
      const flag = option.flag.startsWith('--') ? `-l ${option.flag.slice(2)}` : `-s ${option.flag.slice(1)}`;
      lines.push(`complete -c proctor -n ${when} ${flag} -d ${single(option.summary)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const SHELLS = { bash, zsh, fish } as const;

export function completionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS)))
    .action((shell: keyof typeof SHELLS) => {
      process.stdout.write(SHELLS[shell](program));
    });
}
