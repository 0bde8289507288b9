import type { ComponentType } from 'react';
import type { ManagePage, PageProps } from '../page-props.ts';
import { AuditPage } from '../pages/AuditPage.tsx';
import { BatchesPage } from '../pages/BatchesPage.tsx';
import { CatalogPage } from '../pages/CatalogPage.tsx';
import { DevicesPage } from '../pages/DevicesPage.tsx';
import { DrawersPage } from '../pages/DrawersPage.tsx';
import { ExportsPage } from '../pages/ExportsPage.tsx';
import { PaymentsPage } from '../pages/PaymentsPage.tsx';
import { ReportPage } from '../pages/ReportPage.tsx';
import { SalesPage } from '../pages/SalesPage.tsx';
import { SettingsPage } from '../pages/SettingsPage.tsx';
import { TeamPage } from '../pages/TeamPage.tsx';
import { TodayPage } from '../pages/TodayPage.tsx';

/** Every console page: its name in the nav, its component, and whether only owners see it in the nav (MGR-6). */
export const PAGES: Record<ManagePage, { label: string; Page: ComponentType<PageProps>; ownerOnly?: boolean }> = {
  today: { label: 'Today', Page: TodayPage },
  payments: { label: 'Card payments', Page: PaymentsPage },
  sales: { label: 'Sales', Page: SalesPage },
  batches: { label: 'Batches', Page: BatchesPage },
  devices: { label: 'Tills', Page: DevicesPage },
  drawers: { label: 'Drawers', Page: DrawersPage },
  catalog: { label: 'Catalog', Page: CatalogPage },
  settings: { label: 'Settings', Page: SettingsPage },
  exports: { label: 'Exports', Page: ExportsPage },
  report: { label: 'Day report', Page: ReportPage },
  audit: { label: 'Audit log', Page: AuditPage },
  team: { label: 'Team', Page: TeamPage, ownerOnly: true },
};
