import type { CompletionEntry } from "./completion-model.ts";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const key = (path: string[]) => path.join(" ");

/** bash: match the command words typed so far against the known paths. */
function renderBash(entries: CompletionEntry[]): string {
  const cases = entries
    .map((entry) => `    "${key(entry.path)}") words="${[...entry.subcommands, ...entry.flags].join(" ")}" ;;`)
    .join("\n");
  return `# bash completion for trellis; load with: source <(trellis completion bash)
_trellis() {
  local cur path word words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    if _trellis_known "\${path:+$path }$word"; then path="\${path:+$path }$word"; fi
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_trellis_known() {
  case "$1" in
${entries.map((entry) => `    "${key(entry.path)}") return 0 ;;`).join("\n")}
  esac
  return 1
}
complete -o default -F _trellis trellis
`;
}

/** zsh: the same path table, answered through compadd. */
function renderZsh(entries: CompletionEntry[]): string {
  const cases = entries
    .map((entry) => `    "${key(entry.path)}") choices=(${[...entry.subcommands, ...entry.flags].join(" ")}) ;;`)
    .join("\n");
  return `#compdef trellis
# zsh completion for trellis; load with: source <(trellis completion zsh)
_trellis() {
  local path="" word
  local -a choices known
  known=(${entries.map((entry) => `"${key(entry.path)}"`).join(" ")})
  for word in "\${(@)words[2,CURRENT-1]}"; do
    [[ "$word" == -* ]] && continue
    if (( \${known[(Ie)\${path:+$path }$word]} )); then path="\${path:+$path }$word"; fi
  done
  case "$path" in
${cases}
  esac
  compadd -- $choices
}
compdef _trellis trellis
`;
}

/** fish: one `complete` line per subcommand and flag, conditioned on the path. */
function renderFish(entries: CompletionEntry[]): string {
  const lines = [
    "# fish completion for trellis; load with: trellis completion fish | source",
    "complete -c trellis -f",
  ];
  const condition = (path: string[]) =>
    path.length === 0 ? "__fish_use_subcommand" : `__fish_seen_subcommand_from ${path.at(-1)}`;
  for (const entry of entries) {
    for (const sub of entry.subcommands) {
      const child = entries.find((candidate) => key(candidate.path) === key([...entry.path, sub]));
      const description = (child?.description ?? "").replaceAll("'", "\\'");
      lines.push(`complete -c trellis -n '${condition(entry.path)}' -a ${sub} -d '${description}'`);
    }
    for (const flag of entry.flags.filter((flag) => flag.startsWith("--"))) {
      lines.push(`complete -c trellis -n '${condition(entry.path)}' -l ${flag.slice(2)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderCompletion(shell: Shell, entries: CompletionEntry[]): string {
  switch (shell) {
    case "bash":
      return renderBash(entries);
    case "zsh":
      return renderZsh(entries);
    case "fish":
      return renderFish(entries);
  }
}
