/**
 * hugetlb controller: one limit per huge page size, named by the kernel's size string ("2MB",
 * "1GB") as OCI's pageSize is. v1 calls the file hugetlb.<size>.limit_in_bytes, v2
 * hugetlb.<size>.max.
 */
import { invalidArgument } from '../../../common/errors.js';
import type { CgroupWrite } from '../write.js';

export function hugetlbWrites(limits: { pageSize: string; limit: number }[] | undefined, version: 1 | 2): CgroupWrite[] {
  return (limits ?? []).map(({ pageSize, limit }) => {
    if (!/^\d+[KMG]B$/.test(pageSize)) throw invalidArgument(`invalid huge page size ${JSON.stringify(pageSize)}`);
    return version === 1
      ? { file: `hugetlb.${pageSize}.limit_in_bytes`, value: String(limit) }
      : { file: `hugetlb.${pageSize}.max`, value: limit < 0 ? 'max' : String(limit) };
  });
}
