/**
 * The survey's trickier components: the question builder (kinds, options, order, the API's
 * errors at the question they name), the answer form (required questions marked before sending,
 * the values sent in the survey's order, a 400 at its question, a 409 handed to the page with
 * what was chosen and typed kept) and the survey page around it (the refusal said plainly, and
 * "answered" instead of the form once the API says so).
 */
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { areas } from '../../web/src/app/areas';
import { setAccessToken } from '../../web/src/app/auth/session';
import { createAppI18n } from '../../web/src/app/i18n';
import type { Question, Survey } from '../../web/src/voice/api';
import QuestionBuilder from '../../web/src/voice/components/QuestionBuilder.vue';
import SurveyAnswerForm from '../../web/src/voice/components/SurveyAnswerForm.vue';
import SurveyNewPage from '../../web/src/voice/pages/SurveyNewPage.vue';
import SurveyPage from '../../web/src/voice/pages/SurveyPage.vue';
import {
  answerErrorsByQuestion,
  newQuestion,
  type QuestionDraft,
  toAnswerValues,
  toNewQuestion,
} from '../../web/src/voice/questions';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
// The first mount of a file loads Element Plus's components: 8 s seen on a loaded machine, over the 5 s default.
vi.setConfig({ testTimeout: 30_000 });
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

const i18n = () => createAppI18n(areas, 'zh-CN');

const QUESTIONS: Question[] = [
  { id: 'q1', kind: 'rating', prompt: '总体满意度', required: true },
  { id: 'q2', kind: 'choice', prompt: '最希望加强', options: ['文体活动', '困难帮扶'], required: true },
  { id: 'q3', kind: 'text', prompt: '意见和建议', required: false },
];
const survey = (over: Partial<Survey> = {}): Survey => ({
  id: 'S1',
  title: '会员评家',
  description: null,
  questions: QUESTIONS,
  opensOn: '2026-12-01',
  closesOn: '2026-12-31',
  state: 'published',
  createdBy: 'C1',
  createdAt: '2026-12-01T00:00:00Z',
  publishedAt: '2026-12-01T00:00:00Z',
  closedAt: null,
  updatedAt: '2026-12-01T00:00:00Z',
  version: 2,
  window: 'open',
  answeredByMe: false,
  ...over,
});

describe('the question builder', () => {
  const mountBuilder = (initial: QuestionDraft[], errors: Record<string, string> = {}) => {
    const list = ref(initial);
    const wrapper = mount(
      defineComponent({
        setup: () => () =>
          h(QuestionBuilder, {
            modelValue: list.value,
            'onUpdate:modelValue': (v: QuestionDraft[]) => {
              list.value = v;
            },
            errors,
          }),
      }),
      { global: { plugins: [i18n()] }, attachTo: document.body },
    );
    return { wrapper, list };
  };
  const button = (w: ReturnType<typeof mount>, text: string) =>
    w.findAll('button').filter((b) => b.text() === text);

  it('adds questions of each kind, moves and removes them, and never removes the last one', async () => {
    const { wrapper, list } = mountBuilder([newQuestion('rating')]);
    expect(button(wrapper, '删除此题')[0]!.attributes('disabled')).toBeDefined();
    await button(wrapper, '+ 单选')[0]!.trigger('click');
    await button(wrapper, '+ 文字')[0]!.trigger('click');
    expect(list.value.map((q) => q.kind)).toEqual(['rating', 'choice', 'text']);
    // A choice question starts with two options to fill; a text question is optional by default.
    expect(list.value[1]!.options).toEqual(['', '']);
    expect(list.value[2]!.required).toBe(false);
    expect(wrapper.findAll('[data-question]')).toHaveLength(3);

    await wrapper.find(`#q${list.value[1]!.key}-prompt`).setValue('最希望加强');
    await button(wrapper, '上移')[1]!.trigger('click');
    expect(list.value.map((q) => q.kind)).toEqual(['choice', 'rating', 'text']);
    expect(list.value[0]!.prompt).toBe('最希望加强');
    await button(wrapper, '下移')[2]!.trigger('click'); // the last one: disabled, nothing moves
    expect(list.value.map((q) => q.kind)).toEqual(['choice', 'rating', 'text']);
    await button(wrapper, '删除此题')[2]!.trigger('click');
    expect(list.value.map((q) => q.kind)).toEqual(['choice', 'rating']);
  });

  it('edits a choice question’s options (two at least) and keeps them when its kind changes', async () => {
    const { wrapper, list } = mountBuilder([newQuestion('choice')]);
    const key = list.value[0]!.key;
    await flushPromises(); // Element's inputs take their ids once mounted
    await wrapper.find(`#q${key}-option-0`).setValue(' 文体活动 ');
    await wrapper.find(`#q${key}-option-1`).setValue('困难帮扶');
    expect(button(wrapper, '删除').every((b) => b.attributes('disabled') !== undefined)).toBe(true);
    await button(wrapper, '添加选项')[0]!.trigger('click');
    await wrapper.find(`#q${key}-option-2`).setValue('权益维护');
    await button(wrapper, '删除')[0]!.trigger('click');
    expect(list.value[0]!.options).toEqual(['困难帮扶', '权益维护']);

    // Turned into a rating question: the options stay in the draft, none is sent.
    const rating = wrapper
      .findAll('input[type=radio]')
      .find((i) => (i.element as HTMLInputElement).value === 'rating')!;
    await rating.setValue(true);
    expect(list.value[0]!.kind).toBe('rating');
    expect(list.value[0]!.options).toEqual(['困难帮扶', '权益维护']);
    expect(toNewQuestion(list.value[0]!)).toEqual({ kind: 'rating', prompt: '', required: true });
    expect(
      toNewQuestion({ ...list.value[0]!, kind: 'choice', prompt: ' 最希望加强 ', options: [' a ', 'b'] }),
    ).toEqual({ kind: 'choice', prompt: '最希望加强', options: ['a', 'b'], required: true });
  });

  it('shows the API’s errors at the question and option they name, in words', async () => {
    const first = { ...newQuestion('rating'), prompt: '' };
    const second = { ...newQuestion('choice'), prompt: '最希望加强', options: ['文体活动', '文体活动', ''] };
    const { wrapper } = mountBuilder([first, second], {
      'questions.0.prompt': 'Too small: expected string to have >=1 characters',
      'questions.1.options': 'options repeat',
      'questions.1.options.2': 'Too small: expected string to have >=1 characters',
    });
    await flushPromises();
    const q1 = wrapper.find('[data-question="1"]');
    const q2 = wrapper.find('[data-question="2"]');
    expect(q1.find('.el-form-item.is-error').exists()).toBe(true);
    expect(q2.text()).toContain('选项不能重复');
    const errorItems = q2.findAll('.el-form-item.is-error');
    expect(errorItems).toHaveLength(1);
    expect(errorItems[0]!.text()).toContain('选项 3');
  });
});

describe('the answer form', () => {
  const mountForm = () =>
    mount(SurveyAnswerForm, {
      props: { surveyId: 'S1', questions: QUESTIONS },
      global: { plugins: [i18n()] },
      attachTo: document.body,
    });
  const pick = async (w: ReturnType<typeof mountForm>, question: string, value: string) =>
    w
      .findAll(`[data-question=${question}] input[type=radio]`)
      .find((i) => (i.element as HTMLInputElement).value === value)!
      .setValue(true);

  it('marks the required questions left empty and sends nothing', async () => {
    signInAs('M1', ['member']);
    const seen = fakeApi(() => ({ status: 201, body: { surveyId: 'S1', answered: true } }));
    const w = mountForm();
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(seen).toHaveLength(0);
    expect(w.text()).toContain('还有 2 道必答题没有回答');
    expect(w.find('[data-question=q1] .el-form-item').classes()).toContain('is-error');
    expect(w.find('[data-question=q2] .el-form-item').classes()).toContain('is-error');
    expect(w.find('[data-question=q3] .el-form-item').classes()).not.toContain('is-error');
  });

  it('sends the answers in the survey’s order, leaves an empty optional one out, and tells the page', async () => {
    signInAs('M1', ['member']);
    const seen = fakeApi(() => ({ status: 201, body: { surveyId: 'S1', answered: true } }));
    const w = mountForm();
    await pick(w, 'q2', '困难帮扶');
    await pick(w, 'q1', '4');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toMatch(/\/api\/surveys\/S1\/answers$/);
    expect(seen[0]!.body).toEqual({
      answers: [
        { question: 'q1', rating: 4 },
        { question: 'q2', choice: '困难帮扶' },
      ],
    });
    expect(w.emitted('answered')).toHaveLength(1);
  });

  it('puts a 400 at the question it names and keeps every answer as given', async () => {
    signInAs('M1', ['member']);
    fakeApi(() => ({
      status: 400,
      body: {
        message: '回答有误 / The answers are invalid',
        errors: [{ field: 'answers.1.choice', message: 'not one of the options' }],
      },
    }));
    const w = mountForm();
    await pick(w, 'q1', '5');
    await pick(w, 'q2', '文体活动');
    await w.find('textarea').setValue('  多办亲子活动 ');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(w.find('[data-question=q2] .el-form-item').classes()).toContain('is-error');
    expect(w.find('[data-question=q1] .el-form-item').classes()).not.toContain('is-error');
    // The field the page shows is not listed again in the alert.
    expect(w.text()).toContain('请检查标出的字段');
    expect(w.text()).not.toContain('answers.1.choice');
    expect((w.find('textarea').element as HTMLTextAreaElement).value).toBe('  多办亲子活动 ');
    const checked = w.findAll('input[type=radio]').filter((i) => (i.element as HTMLInputElement).checked);
    expect(checked.map((i) => (i.element as HTMLInputElement).value)).toEqual(['5', '文体活动']);
  });

  it('maps the API’s fields to questions: by the value sent, or by the required question named', () => {
    const sent = toAnswerValues(QUESTIONS, {
      q1: { rating: undefined, choice: '', text: '' },
      q2: { rating: undefined, choice: '文体活动', text: '' },
      q3: { rating: undefined, choice: '', text: ' 意见 ' },
    });
    expect(sent).toEqual([
      { question: 'q2', choice: '文体活动' },
      { question: 'q3', text: '意见' },
    ]);
    expect(
      answerErrorsByQuestion(sent, [
        { field: 'answers.1', message: 'a text question takes `text`' },
        { field: 'answers', message: 'q1 is required' },
        { field: 'answers', message: 'Too small' },
      ]),
    ).toEqual({
      byQuestion: { q3: 'a text question takes `text`', q1: 'q1 is required' },
      placed: ['answers.1', 'answers'],
    });
  });
});

describe('the survey page', () => {
  it('says plainly what is stored before the form, and refuses a second answer on the page with the form kept', async () => {
    signInAs('M1', ['member']);
    let answered = false;
    fakeApi((req) => {
      if (req.method === 'GET') return { status: 200, body: survey({ answeredByMe: answered }) };
      answered = true;
      return { status: 409, body: { message: '您已参加过本次评议 / You have answered this survey already' } };
    });
    const { wrapper } = await mountWithApp(SurveyPage, { props: { id: 'S1' }, path: '/surveys/S1' });
    expect(wrapper.find('[data-testid=anonymity]').text()).toContain('不保存您的工号、姓名或会员号');
    await wrapper
      .findAll('[data-question=q1] input[type=radio]')
      .find((i) => (i.element as HTMLInputElement).value === '3')!
      .setValue(true);
    await wrapper
      .findAll('[data-question=q2] input[type=radio]')
      .find((i) => (i.element as HTMLInputElement).value === '文体活动')!
      .setValue(true);
    await wrapper.find('textarea').setValue('我写的意见');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const refused = wrapper.find('[data-testid=survey-refused]');
    expect(refused.text()).toContain('未能提交：您已参加过本次评议');
    expect(refused.text()).toContain('每位会员只能回答一次');
    expect(wrapper.find('[data-testid=survey-answered]').exists()).toBe(true);
    // The form stays as filled in, and cannot be sent again.
    expect((wrapper.find('textarea').element as HTMLTextAreaElement).value).toBe('我写的意见');
    expect((wrapper.find('textarea').element as HTMLTextAreaElement).disabled).toBe(true);
    expect(wrapper.findAll('button').some((b) => b.text() === '匿名提交')).toBe(false);
  });

  it('shows "answered" instead of the form when the API says so, and the chair the actions of a draft', async () => {
    signInAs('M1', ['member']);
    fakeApi(() => ({ status: 200, body: survey({ answeredByMe: true }) }));
    const member = await mountWithApp(SurveyPage, { props: { id: 'S1' }, path: '/surveys/S1' });
    expect(member.wrapper.find('[data-testid=survey-answered]').text()).toContain('您已参加过本次评议');
    expect(member.wrapper.find('[data-testid=answer-form]').exists()).toBe(false);
    member.wrapper.unmount();

    signInAs('C1', ['chair']);
    const seen = fakeApi((req) =>
      req.method === 'GET'
        ? { status: 200, body: survey({ state: 'draft', window: 'not_open', publishedAt: null }) }
        : {
            status: 409,
            body: { message: '问卷当前状态为 published / The survey is published', state: 'published' },
          },
    );
    const chair = await mountWithApp(SurveyPage, { props: { id: 'S1' }, path: '/surveys/S1' });
    expect(chair.wrapper.find('[data-testid=answer-form]').exists()).toBe(false);
    await chair.wrapper.find('[data-action=publish] button').trigger('click');
    await flushPromises();
    expect(seen.at(-1)!.url).toMatch(/\/api\/surveys\/S1\/publish$/);
    expect(chair.wrapper.find('[data-action=publish]').text()).toContain('当前状态：已发布');
  });
});

describe('the new survey page', () => {
  it('sends the questions as the API takes them, and keeps everything typed through a 400', async () => {
    signInAs('C1', ['chair']);
    const seen = fakeApi(() => ({
      status: 400,
      body: {
        message: '请求内容有误 / invalid',
        errors: [{ field: 'closesOn', message: 'before opensOn' }],
      },
    }));
    const { wrapper } = await mountWithApp(SurveyNewPage, { path: '/surveys/new' });
    await wrapper.find('#survey-title').setValue(' 年度评议 ');
    await wrapper.find('#survey-opens').setValue('2026-12-10');
    await wrapper.find('#survey-closes').setValue('2026-12-01');
    await wrapper.find('input[id$=-prompt]').setValue('总体满意度');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(seen[0]!.body).toEqual({
      title: '年度评议',
      opensOn: '2026-12-10',
      closesOn: '2026-12-01',
      questions: [{ kind: 'rating', prompt: '总体满意度', required: true }],
    });
    const closes = wrapper.findAll('.el-form-item').find((i) => i.text().includes('截止日期'))!;
    expect(closes.classes()).toContain('is-error');
    expect((wrapper.find('#survey-title').element as HTMLInputElement).value).toBe(' 年度评议 ');
    expect((wrapper.find('input[id$=-prompt]').element as HTMLInputElement).value).toBe('总体满意度');
  });
});
