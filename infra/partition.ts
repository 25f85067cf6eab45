/**
 * The partition of a region: `aws-cn` for the China regions (cn-north-1 Beijing, cn-northwest-1
 * Ningxia), `aws-us-gov` for GovCloud, `aws` for the rest this project deploys to. Read by the
 * deployment parameters and by the CLI (which must not load CDK to start); a test holds it to
 * CDK's own region table.
 */
export const partitionOf = (region: string | undefined): string => {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
};
