// A count with its noun, for reports a person reads: "1 run", "1,000 runs".

export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
}
