import type { Command } from 'commander';

/** Capability command groups (audience, …) register here; main.ts holds the core ones. */
export function registerCliCommands(_program: Command): void {}
