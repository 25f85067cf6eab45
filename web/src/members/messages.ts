export const messages = {
  'zh-CN': {
    nav: { me: '我的会籍', meDescription: '会员证号、所属分工会与会籍状态' },
    home: {
      title: '我的会籍',
      number: '会员证号',
      name: '姓名',
      branch: '所属分工会',
      department: '部门',
      status: '会籍状态',
      since: '入会日期',
      statusSince: '状态始于',
      notMember: '系统中还没有您的会籍记录。新入职教职工由人事处信息自动入会；如有疑问请联系校工会。',
      none: '—',
    },
    status: {
      active: '在会',
      retired: '退休（保留会籍）',
      left: '已退会',
      transferred_out: '已转出',
      expelled: '已除名',
    },
  },
  en: {
    nav: { me: 'My membership', meDescription: 'Membership number, branch union and status' },
    home: {
      title: 'My membership',
      number: 'Membership number',
      name: 'Name',
      branch: 'Branch union',
      department: 'Department',
      status: 'Status',
      since: 'Member since',
      statusSince: 'Status since',
      notMember:
        'There is no membership on record for you yet. New staff are enrolled from HR automatically; ask the union office if this is wrong.',
      none: '—',
    },
    status: {
      active: 'Active',
      retired: 'Retired (keeps membership)',
      left: 'Left',
      transferred_out: 'Transferred out',
      expelled: 'Expelled',
    },
  },
};
