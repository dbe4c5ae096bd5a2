import * as core from '@actions/core';

/** The action's orchestrator. Filled in by the pull-request action work (issue 4). */
export async function run(): Promise<void> {
  core.setFailed('ar-mirror action is not implemented yet');
}
