/**
 * The four deadline colours of the provincial directive (green, yellow, orange, red, like the
 * Government Office's "bản đồ thực thi thể chế"). No source defines the thresholds (UNCONFIRMED), so they are
 * configuration: the share of the allowed time (received → appointment) already used.
 */
import { z } from 'zod';

export const deadlineColours = ['green', 'yellow', 'orange', 'red'] as const;
export type DeadlineColour = (typeof deadlineColours)[number];

export const deadlineThresholdsSchema = z
  .object({
    /** Share of the allowed time used from which a dossier turns yellow (default half). */
    yellowFrom: z.number().min(0).max(1),
    /** Share from which it turns orange (default three quarters). */
    orangeFrom: z.number().min(0).max(1),
  })
  .refine((t) => t.yellowFrom <= t.orangeFrom, 'yellowFrom ≤ orangeFrom');
export type DeadlineThresholds = z.infer<typeof deadlineThresholdsSchema>;

export const defaultDeadlineThresholds: DeadlineThresholds = { yellowFrom: 0.5, orangeFrom: 0.75 };

/** Red once the appointment has passed; otherwise by the share of the allowed time already used. */
export function deadlineColour(receivedAt: Date, appointmentAt: Date, now: Date, thresholds: DeadlineThresholds = defaultDeadlineThresholds): DeadlineColour {
  const allowed = appointmentAt.getTime() - receivedAt.getTime();
  const used = now.getTime() - receivedAt.getTime();
  if (now.getTime() > appointmentAt.getTime()) return 'red';
  if (allowed <= 0) return 'orange';
  const share = used / allowed;
  if (share >= thresholds.orangeFrom) return 'orange';
  if (share >= thresholds.yellowFrom) return 'yellow';
  return 'green';
}
