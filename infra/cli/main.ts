/**
 * The `gonghui` command-line program. It talks to the embedded runtime started by `npm start`
 * (found through GONGHUI_DATA_DIR/runtime.json) and, where it makes sense, to a deployed stack.
 */
import { parseArgs } from 'node:util';
import { calendarCommand, careLedger, carePlan } from './commands/care.ts';
import { listDlq, redriveDlq, redriveDlqOnAws } from './commands/dlq.ts';
import { hrPublish } from './commands/hr.ts';
import { lettersReport, surveyResultsCommand } from './commands/letters.ts';
import { failedMail, listMail, uncertainMail } from './commands/mail.ts';
import { importMembers, listMembers } from './commands/members.ts';
import { issueToken } from './commands/token.ts';
import { activityParticipants, awardResults, mutualAidEnrolled } from './commands/union-life.ts';
import { waitCommand } from './commands/wait.ts';
import { exitWhenFlushed } from './exit.ts';
import { CliError } from './runtime-info.ts';

const USAGE = `gonghui — 工会 Gonghui command line

  gonghui hr publish FILE|-            put HR events (one EventBridge event or an array) on the bus
        [--aws --bus NAME]             ... on a deployed stack instead of the local runtime
  gonghui token --sub ID --role ROLE[,ROLE] [--department CODE] [--branch CODE] [--expires 8h]
                                       a JWT from the local issuer
  gonghui wait [--timeout SECONDS]     return when every queue, the stream and the outbox are drained
  gonghui mail list [--json]           mail the local runtime sent (the SES emulator's, or the SMTP server's)
  gonghui mail uncertain [--json]      mails whose sender died in its send (never resent on their own)
  gonghui mail failed [--json]         mails the SMTP server refused for good, with its reply
        (mail uncertain and failed take --aws --table NAME for a deployed stack)
  gonghui dlq list [--queue NAME] [--json]
  gonghui dlq redrive [--queue NAME]   move dead letters back to their queues (SQS's own redrive
                                       where the region has it; receive → send → delete in aws-cn)
        [--aws [--stack Gonghui]]      ... of a deployed stack (AWS_REGION, AWS_PROFILE as usual)
  gonghui members import FILE.csv [--prefix GLU]
                                       enrol existing staff (columns: see README); safe to re-run
  gonghui members list [--json]        every member
  gonghui calendar --year YYYY [--json]
                                       the union calendar: occasions, dates, dispatch dates
  gonghui care plan --date YYYY-MM-DD  run the care planner for any date (holidays, birthdays)
  gonghui care ledger --year YYYY [--branch CODE] [--occasion KEY] [--json]
  gonghui letters report --year YYYY [--json]
                                       the chair's mailbox by category: count, answered, days to the first answer
  gonghui survey results --id ID [--branch CODE] [--json]
                                       a closed survey's results per branch (none under 5 answers)
  gonghui activities participants --id ID [--json]
                                       an activity's confirmed participants and its waiting list
  gonghui mutual-aid enrolled --year YYYY [--json]
                                       the year's enrolled members for the insurer (fee in yuan)
  gonghui awards results --id ID [--json]
                                       an award's results with the counts (after voting closes)
        (members commands take --aws --table NAME for a deployed stack)

Environment: GONGHUI_DATA_DIR (default .data) selects the local runtime.`;

const print = (json: boolean, value: unknown, human: () => string) => {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : human()}\n`);
};

export const run = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      aws: { type: 'boolean', default: false },
      bus: { type: 'string' },
      sub: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
      branch: { type: 'string' },
      expires: { type: 'string' },
      timeout: { type: 'string' },
      queue: { type: 'string' },
      stack: { type: 'string' },
      table: { type: 'string' },
      prefix: { type: 'string' },
      year: { type: 'string' },
      date: { type: 'string' },
      occasion: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const [group, action, ...rest] = positionals;
  const json = values.json ?? false;
  if (values.help || !group) {
    process.stdout.write(`${USAGE}\n`);
    // Asked for, help is a success; no command at all is a usage error.
    return values.help ? 0 : 2;
  }
  switch (`${group} ${action ?? ''}`.trim()) {
    case 'hr publish': {
      const file = rest[0];
      if (!file) throw new CliError('hr publish needs FILE or - (stdin)');
      const result = await hrPublish(file, values);
      print(json, result, () =>
        [
          `已发布 published: ${result.published}`,
          ...result.failed.map((f) => `  失败 failed #${f.index}: ${f.error}`),
        ].join('\n'),
      );
      return result.failed.length ? 1 : 0;
    }
    case 'token':
      process.stdout.write(`${await issueToken(values)}\n`);
      return 0;
    case 'wait': {
      const status = await waitCommand(values);
      print(json, status, () => '已处理完毕 drained');
      return 0;
    }
    case 'mail list': {
      const mails = await listMail();
      print(
        json,
        mails.map(({ html: _html, text: _text, ...m }) => m),
        () =>
          mails
            .map((m) => `${new Date(m.at * 1000).toISOString()}  ${m.to.join(',')}  ${m.subject}`)
            .join('\n') || '(无邮件 no mail)',
      );
      return 0;
    }
    case 'mail uncertain': {
      const mails = await uncertainMail(values);
      print(
        json,
        mails,
        () =>
          mails.map((m) => `${m.sendingSince}  ${m.to}  ${m.subject}  (${m.notificationId})`).join('\n') ||
          '(无 none)',
      );
      return 0;
    }
    case 'mail failed': {
      const mails = await failedMail(values);
      print(
        json,
        mails,
        () =>
          mails
            .map((m) => `${m.failedAt}  ${m.to}  ${m.subject}  ${m.reply}  (${m.notificationId})`)
            .join('\n') || '(无 none)',
      );
      return 0;
    }
    case 'dlq list': {
      const messages = await listDlq(values);
      print(
        json,
        messages,
        () =>
          messages
            .map(
              (m) =>
                `${m.in}  ${m.messageId}  receives=${m.receiveCount}  ${m.sentAt}\n` +
                (m.reason
                  ? `  ${m.consumer} 拒收 refused it: ${m.reason}`
                  : '  超过最大接收次数 moved after maxReceiveCount (原因见日志 reason in the log)'),
            )
            .join('\n') || '(死信队列为空 DLQs are empty)',
      );
      return 0;
    }
    case 'dlq redrive': {
      if (values.aws) {
        const reports = await redriveDlqOnAws(values);
        print(json, reports, () =>
          reports
            .map(
              (r) =>
                `${r.queue}: ${r.moved} (${r.how === 'managed' ? 'SQS redrive' : `receive → send → delete; ${r.note}`})`,
            )
            .join('\n'),
        );
        return 0;
      }
      const moved = await redriveDlq(values);
      print(json, moved, () =>
        Object.entries(moved)
          .map(([q, n]) => `${q}: ${n}`)
          .join('\n'),
      );
      return 0;
    }
    case 'members import': {
      const file = rest[0];
      if (!file) throw new CliError('members import needs FILE.csv');
      const s = await importMembers(file, values);
      print(json, s, () =>
        [
          `行数 rows: ${s.rows}`,
          `新入会 enrolled: ${s.enrolled}`,
          `已是会员 already members: ${s.alreadyMembers}`,
          `拒绝 rejected: ${s.rejected.length}`,
          ...s.rejected.map((r) => `  第 ${r.line} 行 line ${r.line}: ${r.reason}`),
        ].join('\n'),
      );
      return s.rejected.length ? 1 : 0;
    }
    case 'members list': {
      const members = await listMembers(values);
      print(
        json,
        members,
        () =>
          members
            .map(
              (m) =>
                `${m.membershipNumber}  ${m.employeeId}  ${m.name}  ${m.status}  ${m.branch}` +
                (m.pendingTransfer
                  ? `  → ${m.pendingTransfer.branch} 自 from ${m.pendingTransfer.effectiveDate}`
                  : ''),
            )
            .join('\n') || '(无会员 no members)',
      );
      return 0;
    }
    case 'calendar': {
      const { entries, warnings, source } = await calendarCommand(values);
      print(json, entries, () =>
        entries
          .map((e) => `${e.date}  ${e.name}（${e.occasion}）  发放 dispatch ${e.dispatchDate}`)
          .join('\n'),
      );
      // Warnings on stderr, so that --json stays a plain list of occasions.
      for (const w of warnings) process.stderr.write(`注意 warning: ${w}\n`);
      if (source === 'defaults')
        process.stderr.write(
          '本地运行时未启动，按默认设置 / No local runtime: the shipped default settings\n',
        );
      return 0;
    }
    case 'care plan': {
      const result = await carePlan(values);
      print(json, result, () =>
        [
          `${result.date}: ${result.holidays.join(', ') || '无节日 no holiday'}; ${result.tasks} tasks`,
          ...result.warnings,
        ].join('\n'),
      );
      return 0;
    }
    case 'care ledger': {
      const ledger = await careLedger(values);
      print(json, ledger.entries, () =>
        [
          ...ledger.totals.map(
            (t) => `${t.branch}  ${t.occasion}  ${t.entries}  ${(t.amountFen / 100).toFixed(2)} 元`,
          ),
          `合计 total ${(ledger.totalFen / 100).toFixed(2)} 元`,
        ].join('\n'),
      );
      return 0;
    }
    case 'letters report': {
      const report = await lettersReport(values);
      const days = (d: number | null) => (d === null ? '-' : String(d));
      print(json, report, () =>
        [
          `${report.year} 主席信箱 chair's mailbox: 类别 category / 来信 letters / 已答复 answered / 首次答复天数中位数 median days / 最长 max days`,
          ...[...report.categories, { category: '合计 total', ...report.total }].map(
            (c) =>
              `${c.category}  ${c.count}  ${c.answered}  ${days(c.medianDaysToFirstAnswer)}  ${days(c.maxDaysToFirstAnswer)}`,
          ),
        ].join('\n'),
      );
      return 0;
    }
    case 'survey results': {
      const r = await surveyResultsCommand(values);
      // One branch's results carry no overall figures.
      const overall = (r as { overall?: { answers: number; questions: unknown[] } | null }).overall ?? null;
      const lines = (questions: Array<Record<string, unknown>>) =>
        questions.map((q) => {
          if (q.kind === 'rating')
            return `  ${q.question} ${q.prompt}: 均分 mean ${q.mean ?? '-'} ${JSON.stringify(q.distribution)}`;
          if (q.kind === 'choice') return `  ${q.question} ${q.prompt}: ${JSON.stringify(q.counts)}`;
          return `  ${q.question} ${q.prompt}: ${(q.texts as string[]).length} 条意见 texts`;
        });
      print(json, r, () =>
        [
          `${r.title} (${r.surveyId})`,
          ...r.branches.flatMap((b) =>
            b.suppressed
              ? [`${b.branch}: ${b.answers} — ${b.note}`]
              : [
                  `${b.branch}: ${b.answers}`,
                  ...lines(b.questions as unknown as Array<Record<string, unknown>>),
                ],
          ),
          ...(overall
            ? [
                `合计 overall: ${overall.answers}`,
                ...lines(overall.questions as unknown as Array<Record<string, unknown>>),
              ]
            : []),
        ].join('\n'),
      );
      return 0;
    }
    case 'activities participants': {
      const list = await activityParticipants(values);
      print(json, list, () =>
        [
          `${list.activity.title}  ${list.activity.date}  ${list.activity.place}  ${list.totals.confirmedPlaces}/${list.activity.capacity}`,
          ...list.confirmed.map(
            (r) => `正式 confirmed  ${r.employeeId}  ${r.name}  ${r.branch}  +${r.family}`,
          ),
          ...list.waiting.map(
            (r) => `候补 waiting ${r.position}  ${r.employeeId}  ${r.name}  ${r.branch}  +${r.family}`,
          ),
        ].join('\n'),
      );
      return 0;
    }
    case 'mutual-aid enrolled': {
      const rows = await mutualAidEnrolled(values);
      print(json, rows, () =>
        [
          ...rows.map((r) => `${r.employeeId}  ${r.name}  ${r.branch}  ${r.feeYuan} 元`),
          `合计 total ${rows.length}`,
        ].join('\n'),
      );
      return 0;
    }
    case 'awards results': {
      const r = await awardResults(values);
      print(json, r, () =>
        [
          `${r.award.title}: ${r.totalVotes} votes, ${r.award.places} places${r.tieAtCutoff ? ' (并列 tie at the last place)' : ''}`,
          ...r.results.map(
            (x) => `${x.rank}. ${x.employeeId}  ${x.name ?? ''}  ${x.votes}${x.awarded ? '  ★' : ''}`,
          ),
        ].join('\n'),
      );
      return 0;
    }
    default:
      throw new CliError(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  }
};

const isMain = process.argv[1] && /(?:gonghui(?:\.js)?|cli[/\\]main\.ts)$/.test(process.argv[1]);
if (isMain) {
  run(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      if (error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`gonghui: ${(error as Error).message}\n`);
        return exitWhenFlushed(2);
      }
      process.stderr.write(`gonghui: ${(error as Error).stack ?? String(error)}\n`);
      return exitWhenFlushed(1);
    },
  );
}
