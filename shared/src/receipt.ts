/**
 * Receipt numbers are `STORE-DEVICE-SEQ` ("DEMO-03-000042"): unique per store without any
 * server round trip, because the device number is given at enrollment and `deviceSeq` is the
 * device's own counter. A customer reading one aloud gives the manager everything to find it.
 */
export function formatReceiptNo(storeCode: string, deviceNo: number, deviceSeq: number): string {
  return `${storeCode}-${String(deviceNo).padStart(2, '0')}-${String(deviceSeq).padStart(6, '0')}`;
}
