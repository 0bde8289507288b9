import { useMutation } from '@tanstack/react-query';
import { APP_VERSION } from '../../app/app-version.ts';
import { useTill } from '../../app/till-context.ts';
import { enroll } from './enroll.ts';

/** Enrolls the till; on success the app switches to the sell screen by itself (the device row appears). */
export function useEnroll() {
  const { db, api, engine } = useTill();
  return useMutation({
    mutationFn: (input: { code: string; deviceName: string }) => enroll(db, api, { ...input, appVersion: APP_VERSION }),
    onSuccess: () => engine.resume(),
  });
}
