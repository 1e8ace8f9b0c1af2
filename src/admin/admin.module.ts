import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
