import type { Command } from 'commander';
import { registerAudienceCommands } from './audience.ts';
import { registerImportCommands } from './import.ts';
import { registerSegmentCommands } from './segments.ts';
import { registerEmailCommands } from './emails.ts';
import { registerProviderCommands } from './providers.ts';
import { registerDomainCommands } from './domains.ts';
import { registerCampaignCommands } from './campaigns.ts';
import { registerSeriesCommands } from './series.ts';

/** Capability command groups (audience, …) register here; main.ts holds the core ones. */
export function registerCliCommands(program: Command): void {
  registerAudienceCommands(program);
  registerImportCommands(program);
  registerSegmentCommands(program);
  registerEmailCommands(program);
  registerProviderCommands(program);
  registerDomainCommands(program);
  registerCampaignCommands(program);
  registerSeriesCommands(program);
}
