/**
 * The AWS actions a function's code can issue, read from the code itself: every repository file
 * esbuild keeps in the function's bundle is searched for the SDK commands it constructs
 * (`new GetCommand(`…), and each command is mapped to the IAM action it needs. A DynamoDB
 * transaction needs the actions of its items (`Put:`, `Update:`, `Delete:`, `ConditionCheck:`),
 * so those are read from the same files.
 *
 * This is the independent side of the least-privilege test: the topology declares each
 * function's actions by hand, the stack grants exactly those, and this says whether the code
 * agrees. A file-level reading is an over-approximation (a store with five methods counts all
 * five for every function that bundles it), which errs toward granting, never toward a missing
 * permission.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const COMMAND_ACTIONS: Record<string, string[]> = {
  // @aws-sdk/lib-dynamodb and @aws-sdk/client-dynamodb
  GetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchGetItemCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  TransactGetItemsCommand: ['dynamodb:GetItem'],
  // the items' own actions are added below
  TransactWriteCommand: [],
  TransactWriteItemsCommand: [],
  // the rest of the stack
  SendEmailCommand: ['ses:SendEmail'],
  SendRawEmailCommand: ['ses:SendRawEmail'],
  PutEventsCommand: ['events:PutEvents'],
  SendMessageCommand: ['sqs:SendMessage'],
  SendMessageBatchCommand: ['sqs:SendMessage'],
  GetSecretValueCommand: ['secretsmanager:GetSecretValue'],
};

const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

export interface CodeActions {
  /** IAM actions, sorted. */
  actions: string[];
  /** Where each came from: action → files. */
  sources: Record<string, string[]>;
  /** SDK commands found that this table does not know: a new one must be mapped here first. */
  unknownCommands: string[];
}

export const actionsOfCode = async (projectRoot: string, entry: string): Promise<CodeActions> => {
  const result = await build({
    entryPoints: [join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const files = Object.entries(output.inputs)
    .filter(([, used]) => used.bytesInOutput > 0)
    .map(([file]) => file);

  const sources = new Map<string, Set<string>>();
  const add = (action: string, file: string) => {
    if (!sources.has(action)) sources.set(action, new Set());
    sources.get(action)!.add(file);
  };
  const unknown = new Set<string>();
  let transactions = false;
  const texts = files.map((file) => [file, readFileSync(join(projectRoot, file), 'utf8')] as const);
  for (const [file, text] of texts) {
    for (const [, command] of text.matchAll(/\bnew ([A-Z][A-Za-z]*Command)\(/g)) {
      const actions = COMMAND_ACTIONS[command!];
      if (!actions) unknown.add(command!);
      for (const action of actions ?? []) add(action, file);
      if (command!.startsWith('TransactWrite')) transactions = true;
    }
  }
  if (transactions) {
    for (const [file, text] of texts) {
      for (const [, kind] of text.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s*\{/g))
        add(TRANSACT_ITEM_ACTIONS[kind!]!, file);
    }
  }
  return {
    actions: [...sources.keys()].sort(),
    sources: Object.fromEntries([...sources].map(([a, f]) => [a, [...f].sort()])),
    unknownCommands: [...unknown].sort(),
  };
};
