/**
 * The API's errors as the pages show them. The body is the API's (shared/http/api.ts):
 * `{ message, errors?: [{ field, message }], ...details }`; messages come as "中文 / English".
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  message?: string;
  errors?: FieldProblem[];
  /** 409 and 412: the proposal's (or object's) current state. */
  state?: string;
  version?: number;
  [detail: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: unknown) {
    const b: ApiErrorBody =
      body && typeof body === 'object'
        ? (body as ApiErrorBody)
        : { message: typeof body === 'string' ? body : '' };
    super(b.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = b;
  }

  /** 400's failing fields, by field path (`title`, `assignment.dueDate`, `If-Match`). */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.body.errors ?? []) out[p.field] ??= p.message;
    return out;
  }
}

/** "中文 / English" → the part for the language; a message in one language stays as it is. */
export const messageIn = (message: string | undefined, locale: string): string => {
  if (!message) return '';
  const i = message.indexOf(' / ');
  if (i < 0) return message;
  return locale.startsWith('zh') ? message.slice(0, i) : message.slice(i + 3);
};

/**
 * The validator's English messages (zod) in the user's language: the common kinds by their
 * wording, the original kept after it in English.
 */
const FIELD_MESSAGES: Array<[RegExp, string, string]> = [
  [/too small|>=\s*1 character|required|received undefined/i, '必填，不能为空', 'Required'],
  [/too big|<=/i, '内容过长', 'Too long'],
  [/invalid (iso )?date|date/i, '日期格式应为 年-月-日', 'Use a date as YYYY-MM-DD'],
  [/invalid option|expected one of/i, '请选择一个有效的选项', 'Choose one of the options'],
  [/unrecognized key/i, '不接受此字段', 'Not accepted'],
  [/no such proposal/i, '没有这样的提案（同一届、已提交的）', 'No such proposal in this session'],
  [/nothing to change/i, '没有要修改的内容', 'Nothing to change'],
  // zod/mini (the API's validator) says only this unless it loads a locale.
  [/^invalid input$/i, '格式或长度不符合要求', 'Check the format or length'],
];

export const REQUIRED_MESSAGE = { zh: '必填，不能为空', en: 'Required' };

export const fieldMessageIn = (message: string, locale: string): string => {
  if (message.includes(' / ')) return messageIn(message, locale);
  const zh = locale.startsWith('zh');
  for (const [re, zhText, enText] of FIELD_MESSAGES) if (re.test(message)) return zh ? zhText : enText;
  return zh ? `输入有误（${message}）` : message;
};
