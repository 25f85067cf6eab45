// Preloaded (`node --import`) into a tool that must work offline, the OpenAPI linter: every
// attempt to reach the network (a TCP connection, a name lookup) is refused, and the tool then
// exits non-zero naming where it tried to go, even if it caught the error and carried on (as
// telemetry and update checks do). Local sockets (a path) are left alone.
import dns from 'node:dns';
import net from 'node:net';

const attempts = [];
const refused = (where) => {
  attempts.push(where);
  return Object.assign(new Error(`network access refused (offline tool): ${where}`), { code: 'ENETUNREACH' });
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options =
    args[0] !== null && typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
  if (Array.isArray(options) || options.path || typeof args[0] === 'string') return connect.apply(this, args);
  const error = refused(`${options.host ?? 'localhost'}:${options.port}`);
  process.nextTick(() => this.destroy(error));
  return this;
};
dns.lookup = (host, ...rest) => {
  const callback = rest.at(-1);
  process.nextTick(() => callback(refused(`name lookup of ${host}`)));
};
dns.promises.lookup = async (host) => {
  throw refused(`name lookup of ${host}`);
};

process.on('exit', () => {
  if (attempts.length === 0) return;
  process.stderr.write(
    `\nThis tool tried to reach the network, which is refused here:\n  ${attempts.join('\n  ')}\n`,
  );
  process.exitCode = 1;
});
