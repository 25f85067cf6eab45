import { api, call } from '../app/api/client';

export const getMyMembership = () => call(api.GET('/members/me'));
