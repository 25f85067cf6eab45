/**
 * The CDK tests synthesize the web app's files (web/dist) as an asset: they are built first when
 * their sources changed, once, before any test (the e2e setup's runtime then finds them fresh).
 */
import { ensureWebBuilt } from '../../web/tools/build.ts';

export default async function setup() {
  await ensureWebBuilt();
}
