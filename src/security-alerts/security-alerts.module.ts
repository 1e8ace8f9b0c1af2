import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { bindSource } from '../source-binding/source-binding.js';
import { SECURITY_ALERTS } from './security-alerts.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SecurityAlertsController } from './security-alerts.controller.js';
import { SecurityAlertsService } from './security-alerts.service.js';
import { SECURITY_ALERT_SOURCES, SecurityAlertSource } from './sources/security-alert-source.js';

@Module({
  imports: [TenantsModule],
  controllers: [SecurityAlertsController],
  providers: [
    // Mock mode: one file per tenant already holds both vendors' alerts.
    bindSource<SecurityAlertSource[]>(SECURITY_ALERT_SOURCES, 'security_alerts', {
      mock: (store) => [MockFileProvider.of(store, SECURITY_ALERTS)],
      replica: (reads) => [new ReplicaSource(reads, 'security_alerts')],
    }),
    SecurityAlertsService,
  ],
  exports: [SecurityAlertsService],
})
export class SecurityAlertsModule {}
