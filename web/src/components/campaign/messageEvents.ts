import { IconAlertTriangle, IconArrowBackUp, IconBan, IconCheck, IconClick, IconEye, IconMailForward, IconSend, IconX } from '@tabler/icons-react';

export interface EventInfo {
  label: string;
  color: string;
  icon: typeof IconSend;
}

/** How each event of a sent message shows in a trail: a campaign recipient's, or a series enrolment's steps. */
export const MESSAGE_EVENTS: Record<string, EventInfo> = {
  queued: { label: 'Queued', color: 'gray', icon: IconMailForward },
  skipped: { label: 'Skipped', color: 'gray', icon: IconBan },
  received: { label: 'Sent', color: 'blue', icon: IconSend },
  sent: { label: 'Sent', color: 'blue', icon: IconSend },
  delivered: { label: 'Delivered', color: 'teal', icon: IconCheck },
  opened: { label: 'Opened', color: 'brand', icon: IconEye },
  clicked: { label: 'Clicked', color: 'teal', icon: IconClick },
  bounced: { label: 'Bounced', color: 'red', icon: IconArrowBackUp },
  complained: { label: 'Marked as spam', color: 'red', icon: IconAlertTriangle },
  unsubscribed: { label: 'Unsubscribed', color: 'orange', icon: IconBan },
  deferred: { label: 'Deferred', color: 'yellow', icon: IconAlertTriangle },
  failed: { label: 'Failed', color: 'red', icon: IconX },
};
