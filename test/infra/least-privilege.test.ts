/**
 * Least privilege against the code: each function's declared access (which the stack grants
 * exactly, see gonghui-stack.test.ts) lists only actions its bundled code can issue. The other
 * direction, that nothing the code really calls is missing, is checked on a real run by
 * test/e2e/zz-aws-actions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/aws/gonghui-stack.ts';
import { dataActionsOf, type FunctionName, functionNames, functions } from '../../infra/topology.ts';
import { MAIL_TRANSPORTS } from '../../shared/config/mail-transport.ts';
import { recordFigure } from '../support/figures.ts';
import { actionsOfCode, type CodeActions } from './sdk-actions.ts';

const code = new Map<FunctionName, CodeActions>();
const codeOf = async (name: FunctionName) => {
  if (!code.has(name)) code.set(name, await actionsOfCode(PROJECT_ROOT, functions[name].entry));
  return code.get(name)!;
};

describe('least privilege, read from the code', () => {
  // Each mail transport grants its own actions (ses:SendEmail, or reading the SMTP secret).
  const cases = functionNames.flatMap((name) =>
    MAIL_TRANSPORTS.map((transport) => [name, transport] as const),
  );

  it.each(cases)('%s (%s): every declared action is one its code can issue', async (name, transport) => {
    const { actions, unknownCommands } = await codeOf(name);
    expect(unknownCommands, 'SDK commands sdk-actions.ts cannot map yet').toEqual([]);
    expect(dataActionsOf(functions[name].access, transport).filter((a) => !actions.includes(a))).toEqual([]);
  });

  it.each(functionNames)(
    '%s: it may put events, send mail or send to a queue only if its code does',
    async (name) => {
      const { actions } = await codeOf(name);
      const declared = MAIL_TRANSPORTS.flatMap((t) => dataActionsOf(functions[name].access, t));
      for (const action of [
        'events:PutEvents',
        'ses:SendEmail',
        'ses:SendRawEmail',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
      ])
        expect(declared.includes(action), action).toBe(actions.includes(action));
    },
  );

  it('finds the commands a function really uses (the reader itself works)', async () => {
    const sendEmail = await codeOf('send-email');
    expect(sendEmail.actions).toContain('ses:SendEmail');
    expect(sendEmail.sources['ses:SendEmail']).toEqual(['shared/adapters/ses-mailer.ts']);
    expect(sendEmail.sources['secretsmanager:GetSecretValue']).toEqual([
      'shared/adapters/smtp-mailer-from-secret.ts',
    ]);
    const publicApi = await codeOf('public-api');
    expect(publicApi.actions).toEqual([]);
  });

  it('records the figure', async () => {
    let declared = 0;
    let beyondCode = 0;
    for (const name of functionNames) {
      const { actions } = await codeOf(name);
      const mine = dataActionsOf(functions[name].access);
      declared += mine.length;
      beyondCode += mine.filter((a) => !actions.includes(a)).length;
    }
    recordFigure({
      id: 'aws.least-privilege.code',
      section: 'aws',
      what: 'data actions granted per function, each checked against the SDK commands in its bundled code',
      counts: {
        functions: functionNames.length,
        'actions granted': declared,
        'granted beyond the code': beyondCode,
      },
      command: 'npx vitest run test/infra/least-privilege.test.ts',
    });
    expect(beyondCode).toBe(0);
  });
});
