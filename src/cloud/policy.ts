/**
 * IAM policies (`{version, bindings: [{role, members, condition}], etag}`), as Resource Manager
 * and Artifact Registry return them from getIamPolicy, validated into a small typed shape.
 */
import { asList, asObject, asText, asTextList } from './json.js';

/** A binding's IAM condition: it may limit where or when the role applies. */
export interface PolicyCondition {
  title: string | undefined;
  expression: string;
}

/** One role granted to members, perhaps under a condition. */
export interface PolicyBinding {
  role: string;
  members: string[];
  condition: PolicyCondition | undefined;
}

/** A validated IAM policy. */
export interface IamPolicy {
  bindings: PolicyBinding[];
}

// An allow policy holds at most 1,500 principals; a bit of room for other counts.
const MAX_BINDINGS = 1500;
const MAX_MEMBERS = 1500;

/** Validates a getIamPolicy answer: malformed bindings are dropped, never guessed at. */
export function parsePolicy(value: unknown): IamPolicy {
  const bindings: PolicyBinding[] = [];
  for (const item of asList(asObject(value)?.bindings, MAX_BINDINGS)) {
    const binding = asObject(item);
    const role = asText(binding?.role, 256);
    if (!binding || !role || !/^(roles|projects|organizations)\/[\w./-]+$/.test(role)) continue;
    const members = asTextList(binding.members, MAX_MEMBERS, 512);
    const condition = asObject(binding.condition);
    const expression = asText(condition?.expression, 12_000);
    bindings.push({
      role,
      members,
      condition:
        condition && expression !== undefined
          ? { title: asText(condition.title, 200), expression }
          : undefined,
    });
  }
  return { bindings };
}

/** The getIamPolicy option asking for version-3 policies, so conditional bindings are shown. */
export const POLICY_VERSION = 3;
