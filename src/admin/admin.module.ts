import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminController } from './admin.controller.js';

@Module({
  imports: [TenantsModule],
  controllers: [AdminController],
})
export class AdminModule {}
