/** `gonghui token`: a JWT from the local issuer, for curl and for tests. */
import { dirname, join } from 'node:path';
import { ROLES } from '../../../shared/domain/principal.ts';
import { loadOrCreateIssuer } from '../../local/issuer.ts';
import { CliError, dataDir, loadRuntimeInfo } from '../runtime-info.ts';

export const issueToken = async (opts: {
  sub?: string;
  role?: string;
  department?: string;
  branch?: string;
  expires?: string;
}) => {
  if (!opts.sub) throw new CliError('--sub ID is required (the member or user id)');
  const groups = (opts.role ?? 'member')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = groups.filter((g) => !(ROLES as readonly string[]).includes(g));
  if (unknown.length) throw new CliError(`unknown role ${unknown.join(', ')}; roles: ${ROLES.join(', ')}`);
  if (groups.includes('department') && !opts.department) {
    throw new CliError('the department role needs --department CODE');
  }
  let dir: string;
  try {
    dir = dirname(loadRuntimeInfo().issuer.keyFile);
  } catch {
    dir = join(dataDir(), 'issuer');
  }
  const issuer = await loadOrCreateIssuer(dir);
  return issuer.sign(
    {
      sub: opts.sub,
      groups,
      ...(opts.department ? { department: opts.department } : {}),
      ...(opts.branch ? { branch: opts.branch } : {}),
    },
    { expiresIn: opts.expires ?? '8h' },
  );
};
