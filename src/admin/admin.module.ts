import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminSyncController } from './admin-sync.controller.js';
import { AdminSyncService } from './admin-sync.service.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [AdminController, AdminSyncController],
  providers: [AdminService, AdminSyncService],
})
export class AdminModule {}
