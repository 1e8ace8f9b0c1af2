import type { AlertSeverity } from '../../security-alerts/security-alert.record.js';

/**
 * Words an MSP service desk actually uses. Text templates hold `{slot}` placeholders
 * that the generator fills per record; see TEMPLATE_SLOTS for the slots it knows.
 */

export const TICKET_STATUSES = ['New', 'In Progress', 'Waiting', 'Closed'] as const;
export const TICKET_PRIORITIES = ['Low', 'Medium', 'High', 'Critical'] as const;
export const TICKET_BOARDS = ['Service', 'Project', 'Sales'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketBoard = (typeof TICKET_BOARDS)[number];

/** ConnectWise SLA stage texts, by ticket status. */
export const SLA_STAGES: Record<TicketStatus, readonly string[]> = {
  New: ['Respond'],
  'In Progress': ['Plan', 'Resolve'],
  Waiting: ['Waiting'],
  Closed: ['Resolved'],
};

/** Placeholders a text template may use. */
export const TEMPLATE_SLOTS = [
  'user',
  'first',
  'device',
  'server',
  'app',
  'floor',
  'site',
  'weekday',
  'n',
  'isp',
  'share',
  'printer',
  'model',
  'license',
  'vendor',
  'mailbox',
  'tech',
] as const;
export type TemplateSlot = (typeof TEMPLATE_SLOTS)[number];

/**
 * `minor` tickets are rarely urgent, `major` ones are outages; `any` fits every priority.
 * The generator picks a ticket's priority first, then a template whose level allows it.
 */
export type TicketLevel = 'minor' | 'normal' | 'major' | 'any';
export const LEVEL_PRIORITIES: Record<TicketLevel, readonly TicketPriority[]> = {
  minor: ['Low', 'Medium'],
  normal: ['Low', 'Medium', 'High'],
  major: ['High', 'Critical'],
  any: TICKET_PRIORITIES,
};

export interface TicketTemplate {
  board: TicketBoard;
  level: TicketLevel;
  summary: string;
  description: string;
  /**
   * What a technician writes in the time entries charged to such a ticket (2–5 notes), in the
   * past tense and starting with a verb. A note uses only the slots of the ticket's summary and
   * description (plus `{first}`, the first name of its `{user}`), filled with the ticket's own values,
   * so the time entries name the same device, person or printer as the ticket.
   */
  notes: readonly string[];
}

export const TICKET_TEMPLATES: readonly TicketTemplate[] = [
  // Service board: break/fix and requests.
  {
    board: 'Service',
    level: 'normal',
    summary: 'Printer on {floor} floor offline',
    description: '{printer} on the {floor} floor shows offline for everyone. Power cycled it, still not printing.',
    notes: [
      'Found the {printer} on a new DHCP address; set a reservation and re-added the print queue.',
      'Cleared the stuck jobs in the {printer} queue and restarted the print spooler.',
      'Updated the {printer} driver on the print server and printed a test page on the {floor} floor.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'New hire onboarding: {user}, start {weekday}',
    description:
      'Please set up {user}: M365 account ({license}), laptop, VPN and access to the {share} share before {weekday}.',
    notes: [
      'Created the M365 account for {user} and assigned the {license} licence.',
      'Imaged and enrolled the laptop for {first}, installed the standard apps and the VPN client.',
      'Added {first} to the {share} share group and tested access ahead of {weekday}.',
      'Walked {first} through first sign-in and MFA setup.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Offboarding: {user} leaving {weekday}',
    description: 'Disable sign-in for {user} on {weekday} at 5pm, convert the mailbox to shared and forward it to their manager.',
    notes: [
      'Blocked sign-in for {user}, reset the password and revoked active sessions.',
      "Converted {first}'s mailbox to shared and set forwarding to their manager.",
      'Removed the licence and collected the laptop from {first}; wiped it and returned it to stock.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'VPN drops every {n} minutes',
    description: '{user} working from home loses the VPN connection every {n} minutes. Started after the last Windows update.',
    notes: [
      "Disabled NIC power saving on {first}'s laptop; the VPN no longer drops.",
      'Rolled back the Windows update that broke the VPN client and paused updates for {first}.',
      'Reinstalled the latest VPN client; the tunnel held well past {n} minutes in testing with {first}.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Outlook search not returning results',
    description: 'Searching in Outlook returns nothing for mail older than a week. {user} needs to find an old invoice thread.',
    notes: [
      'Rebuilt the Outlook search index for {first}; older mail shows up again.',
      'Reset the Windows Search indexing options and re-added Outlook for {first}.',
      'Found the old invoice thread for {first} in webmail while the Outlook index rebuilds.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Replace failing SSD on {device}',
    description: 'SMART warnings on {device}; the disk is reporting reallocated sectors. Back up the profile and replace the SSD.',
    notes: [
      'Backed up the user profile on {device} ahead of the SSD swap.',
      'Replaced the SSD in {device}, re-imaged it and restored the profile from backup.',
      'Ran SMART diagnostics on {device}: reallocated sectors climbing, ordered a replacement SSD.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Password reset for {user}',
    description: '{user} is locked out after too many attempts and cannot reach the self-service reset page.',
    notes: [
      'Verified identity by call-back, reset the password for {user} and unlocked the account.',
      'Unlocked the account for {first} and re-enrolled them in self-service password reset.',
      "Traced the lockouts to an old password cached on {first}'s phone; updated it there.",
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'MFA prompts not arriving on new phone',
    description: '{user} got a new phone and no longer receives Authenticator prompts. Needs MFA re-registration.',
    notes: [
      'Required MFA re-registration for {user} and set up Authenticator on the new phone.',
      "Removed the old phone from {first}'s MFA methods and confirmed prompts arrive on the new one.",
      'Issued a temporary access pass so {first} could register Authenticator on the new phone.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Internet down at {site}',
    description: 'No internet at {site} since this morning. {isp} modem lights are amber. Whole office affected.',
    notes: [
      'Called {isp}: area outage confirmed, fault raised with the carrier for {site}.',
      'Power cycled the {isp} modem and the firewall at {site}; WAN link back up.',
      'Failed {site} over to the LTE backup until {isp} restored service.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'File server not reachable',
    description: 'Nobody can open the {share} share; mapped drives show a red X. {server} does not answer ping.',
    notes: [
      'Checked the console on {server}: hung after patching; rebooted and the {share} share is back.',
      'Restarted the Server service on {server}; drives mapped to {share} reconnect.',
      'Found the NIC on {server} disabled after a driver update; re-enabled it and tested the {share} share.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: '{app} crashes on startup',
    description: '{app} closes right after the splash screen on {device}. Reinstalling did not help.',
    notes: [
      'Repaired the {app} installation on {device} and cleared its user cache.',
      'Found a faulty add-in; disabled it and {app} starts normally on {device}.',
      'Collected crash logs from {device} and opened a case with the {app} vendor.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Teams camera not detected',
    description: '{user} cannot use the webcam in Teams meetings; the camera works in the Windows Camera app.',
    notes: [
      'Allowed Teams to use the camera in the Windows privacy settings for {first}.',
      'Updated the webcam driver and cleared the Teams cache; the camera shows up in meetings.',
      'Held a test call with {first}: the camera works in Teams now.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Add {user} to the {mailbox} shared mailbox',
    description: 'Please give {user} full access and send-as on the {mailbox} shared mailbox.',
    notes: [
      'Granted {user} full access and send-as on the {mailbox} mailbox.',
      'Checked with {first} that the {mailbox} mailbox shows up in Outlook.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Suspicious email reported by {user}',
    description:
      '{user} received an invoice email with a link to a fake Microsoft login page. Did not enter credentials. Please check the tenant.',
    notes: [
      'Reviewed the message trace for the invoice email {first} reported and purged it from all mailboxes.',
      'Blocked the sender domain and the fake login URL in the tenant.',
      'Checked the sign-in logs for {first}: no risky sign-ins, credentials were not entered.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Possible compromised mailbox: {user}',
    description: 'Partners received phishing emails sent from {user}. Inbox rules were created overnight forwarding mail externally.',
    notes: [
      'Reset the password for {user}, revoked all sessions and enforced MFA.',
      "Removed the forwarding inbox rules from {first}'s mailbox and reviewed the audit log.",
      "Warned partners about the phishing emails sent from {first}'s account.",
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Slow performance on {device}',
    description: '{device} takes over five minutes to boot and {app} freezes several times a day.',
    notes: [
      'Disabled startup bloat on {device}; boot time is down to under a minute.',
      'Ran disk and memory diagnostics on {device} and upgraded the RAM to 16 GB.',
      'Reset the {app} profile on {device} to stop the freezes.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Request: second monitor for {user}',
    description: '{user} would like a second 24" monitor and a dock for their desk on the {floor} floor.',
    notes: [
      'Ordered a 24" monitor and a dock for {first}.',
      "Set up the second monitor and dock at {first}'s desk on the {floor} floor.",
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Cannot connect to Wi-Fi at {site}',
    description: 'Several laptops at {site} see the network but fail to authenticate. Wired connections are fine.',
    notes: [
      'Found the Wi-Fi RADIUS certificate at {site} expired; renewed it and laptops authenticate again.',
      'Checked the access points at {site} and pushed the updated Wi-Fi profile by GPO.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Backup job failed on {server}',
    description: 'Nightly backup of {server} failed {n} nights in a row with a VSS snapshot error.',
    notes: [
      'Restarted the VSS writers on {server} and re-ran the backup job successfully.',
      'Cleared old shadow copies on {server} to fix the VSS snapshot error.',
      'Verified the nightly backup of {server} completed and a test restore works.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Scanner not sending to email',
    description: 'Scan-to-email on the {printer} fails with an SMTP authentication error since the password change.',
    notes: [
      'Updated the SMTP password in the {printer} scan-to-email settings; the test scan arrived.',
      'Moved scan-to-email on the {printer} to the SMTP relay so password changes no longer break it.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'OneDrive sync stuck for {user}',
    description: 'OneDrive shows "processing changes" for days on {device}; files edited on the laptop are not in the cloud.',
    notes: [
      'Reset the OneDrive client on {device} and let it resync; files are uploading.',
      'Found a file with an invalid name blocking OneDrive sync for {first}; renamed it.',
      'Confirmed with {first} that edits made on {device} now appear in the cloud.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Mapped drive missing after reboot',
    description: 'The {share} drive is missing on {device} after every restart; mapping it by hand works until the next reboot.',
    notes: [
      'Fixed the drive map GPO for the {share} drive and ran gpupdate on {device}.',
      'Enabled linked connections on {device}; the {share} drive survives a reboot now.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Install {app} for {user}',
    description: 'Please install {app} on {device}. Licence key is in the shared vault.',
    notes: [
      'Installed {app} on {device} and activated it with the key from the vault.',
      'Signed {first} in to {app} and checked it opens their files.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Phones down at {site}',
    description: 'Desk phones at {site} show "no service"; inbound calls go straight to voicemail.',
    notes: [
      'Found the SIP trunk at {site} down; rebooted the router and the phones re-registered.',
      'Set call forwarding to mobiles for {site} while the carrier fixes the trunk.',
      'Tested calls in and out of {site}; desk phones show service again.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Shared calendar permissions for {mailbox}',
    description: 'Staff can see the {mailbox} calendar but cannot add bookings. Needs editor rights for the team.',
    notes: [
      'Granted the team editor rights on the {mailbox} calendar.',
      'Tested adding a booking to the {mailbox} calendar with a staff member.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Laptop battery drains quickly on {device}',
    description: '{user} reports the battery on {device} lasts under an hour. Battery report shows wear above 40%.',
    notes: [
      'Ran a battery report on {device}: wear confirmed, ordered a replacement battery.',
      'Replaced the battery in {device} and checked the charge with {first}.',
      'Found a runaway process draining the battery on {device} and adjusted the power plan.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Windows update stuck on {device}',
    description: '{device} has been stuck at "Working on updates 30%" since last night.',
    notes: [
      'Forced a restart of {device} and let the update roll back.',
      'Cleared the SoftwareDistribution folder on {device} and reinstalled the update.',
      'Ran DISM and SFC on {device}; the update installed cleanly afterwards.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Outlook keeps prompting for password',
    description: '{user} gets a credentials prompt in Outlook every few minutes. Webmail works fine.',
    notes: [
      "Cleared {first}'s cached credentials in Credential Manager and rebuilt the Outlook profile.",
      "Enabled modern authentication for Outlook on {first}'s PC; the password prompts stopped.",
      'Checked the sign-in logs for {user}: legacy auth blocked, updated Office so Outlook uses modern auth.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'SentinelOne threat detected on {device}',
    description: 'SentinelOne quarantined a file on {device}. Please review the threat and confirm the machine is clean.',
    notes: [
      'Reviewed the SentinelOne threat on {device}; file quarantined, no lateral movement.',
      'Ran a full SentinelOne scan on {device} and marked the threat resolved.',
      'Isolated {device} from the network while investigating the SentinelOne detection.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Disk space low on {device}',
    description: 'Monitoring alert: C: on {device} is below 10% free.',
    notes: [
      'Cleaned up temp files and old Windows updates on {device}; C: is at 35% free now.',
      'Moved old user data off {device} and set Storage Sense to clean up.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Email signature update for {user}',
    description: 'New job title for {user}; please update the company signature template.',
    notes: [
      'Updated the signature template with the new job title for {user}.',
      "Checked that {first}'s new signature shows in Outlook and on mobile.",
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: '{app} licence expired',
    description: '{app} on {device} says the licence expired. Renewal was paid last month according to accounts.',
    notes: [
      'Re-activated {app} on {device} with the renewed licence.',
      'Chased the {app} vendor for the renewed licence key and updated the licence portal.',
      'Signed out of {app} on {device} and back in to refresh the licence.',
    ],
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Server {server} unresponsive',
    description: '{server} stopped responding around {n} am; users cannot log in to {app}. Remote console shows a blue screen.',
    notes: [
      'Hard reset {server} from the remote console; {app} is back online.',
      'Analysed the blue screen dump from {server}: faulty storage driver, updated it.',
      'Checked {app} logins after the {server} restart; users are back in.',
    ],
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Conference room display not working',
    description: 'The TV in the {floor} floor meeting room does not pick up the HDMI signal from laptops.',
    notes: [
      'Replaced the HDMI cable in the {floor} floor meeting room; laptops show on the TV again.',
      'Reset the TV input settings and tested two laptops in the {floor} floor meeting room.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Access request: {share} folder for {user}',
    description: '{user} needs read/write access to the {share} folder; approved by their manager.',
    notes: [
      'Added {user} to the {share} read/write security group.',
      'Confirmed with {first} that the {share} folder opens after signing out and in.',
    ],
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Firewall blocking {app}',
    description: '{app} cannot reach its cloud service from {site}; works on mobile hotspot.',
    notes: [
      'Added a firewall rule at {site} allowing {app} to reach its cloud service.',
      'Found web filtering blocking {app} at {site}; allow-listed its domains.',
      'Tested {app} from {site} after the firewall change; it connects.',
    ],
  },
  // Project board: planned work.
  {
    board: 'Project',
    level: 'any',
    summary: 'Migrate {share} file share to SharePoint Online',
    description: 'Phase 1: inventory permissions on the {share} share, build the SharePoint site and pilot with {n} users.',
    notes: [
      'Exported permissions from the {share} share and mapped them to SharePoint groups.',
      'Built the SharePoint site for {share} and migrated the first batch of folders.',
      'Ran the pilot with {n} users on the new {share} SharePoint site and collected feedback.',
      'Migrated a batch of {share} folders and verified permissions.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Windows 11 upgrade: {n} workstations',
    description: 'Upgrade {n} workstations to Windows 11 23H2, verify {app} compatibility first.',
    notes: [
      'Tested {app} on a Windows 11 pilot machine.',
      'Upgraded a batch of workstations to Windows 11 and checked {app} opens.',
      'Planned the Windows 11 upgrade schedule for the {n} workstations with the client.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Replace firewall at {site}',
    description: 'Install and configure the new {vendor} firewall at {site}, migrate VPN tunnels and rules.',
    notes: [
      'Staged and configured the {vendor} firewall for {site}.',
      'Migrated the VPN tunnels and rules to the new {vendor} firewall.',
      'Cut {site} over to the new {vendor} firewall and tested VPN and internet.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Deploy Intune for mobile devices',
    description: 'Enrol company phones in Intune, set compliance policies and conditional access for M365.',
    notes: [
      'Configured the Intune compliance policies for company phones.',
      'Enrolled a first batch of company phones in Intune.',
      'Set up conditional access for M365 requiring Intune-compliant devices.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Server replacement: {server}',
    description: '{server} is out of warranty. Build the new host, migrate roles and decommission the old hardware.',
    notes: [
      'Built and configured the new host to replace {server}.',
      'Migrated roles and shares from {server} to the new host.',
      'Decommissioned {server}: wiped the disks and updated the asset list.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Office move to {site}',
    description: 'Cabling, Wi-Fi survey, printer and phone setup for the move to {site}, {n} desks.',
    notes: [
      'Ran the Wi-Fi survey at {site} and marked the access point positions.',
      'Set up printers and desk phones for the {n} desks at {site}.',
      'Walked {site} with the cabling contractor to confirm the drops.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Roll out MFA for all staff',
    description: 'Enforce MFA with conditional access for all {n} users; schedule registration sessions.',
    notes: [
      'Configured the conditional access policies for MFA and a pilot group.',
      'Ran an MFA registration session for staff.',
      'Reviewed MFA registration for all {n} users and chased the stragglers.',
    ],
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Backup upgrade to immutable cloud storage',
    description: 'Move the backup repository for {server} to immutable cloud storage and test restores.',
    notes: [
      'Set up the immutable cloud storage bucket with a retention lock.',
      'Pointed the {server} backup job at the immutable repository.',
      'Ran a test restore of {server} from immutable cloud storage.',
    ],
  },
  // Sales board: quotes and renewals.
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: {n}x {model} laptops',
    description: 'Customer asked for a quote on {n} {model} laptops with docks and 3-year warranty.',
    notes: [
      'Priced {n} {model} laptops with docks and 3-year warranty from the distributor.',
      'Sent the quote for {n}x {model} laptops to the customer for approval.',
    ],
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Renewal: {license} licences',
    description: 'Annual renewal of {n} {license} licences due next month. Confirm seat count with the office manager.',
    notes: [
      'Confirmed the {license} seat count with the office manager.',
      'Prepared the renewal quote for {n} {license} licences.',
    ],
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: replacement firewall for {site}',
    description: 'Prepare a quote for a {vendor} firewall with 3 years of security subscriptions for {site}.',
    notes: [
      'Sized the {vendor} firewall for {site} and priced 3 years of security subscriptions.',
      'Sent the {vendor} firewall quote for {site} to the client.',
    ],
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Proposal: managed backup for {n} servers',
    description: 'Customer interested in managed backup with offsite copies for {n} servers.',
    notes: [
      'Collected data sizes from the {n} servers for the managed backup proposal.',
      'Drafted the managed backup proposal with offsite copies.',
    ],
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: new hire equipment for {user}',
    description: 'Laptop, monitor, headset and {license} licence for {user} starting {weekday}.',
    notes: [
      'Priced a laptop, monitor and headset for {first}.',
      'Sent the new hire equipment quote for {user}, with the {license} licence.',
    ],
  },
];

export const APPS = [
  'Outlook',
  'Teams',
  'QuickBooks',
  'Excel',
  'Adobe Acrobat',
  'Sage 50',
  'AutoCAD',
  'Chrome',
  'Zoom',
  'OneDrive',
  'Xero',
  'Dentrix',
  'Salesforce',
  'SAP Business One',
] as const;
export const FLOORS = ['1st', '2nd', '3rd', '4th', 'ground'] as const;
export const SITES = ['the main office', 'the warehouse', 'the branch office', 'the downtown office', 'the clinic', 'reception'] as const;
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
export const ISPS = ['Comcast', 'Spectrum', 'AT&T', 'Verizon Fios', 'Cox'] as const;
export const SHARES = ['Finance', 'Projects', 'HR', 'Scans', 'Shared', 'Marketing', 'Operations'] as const;
export const PRINTERS = ['HP LaserJet M404', 'Ricoh IM C3000', 'Canon imageRUNNER', 'Brother MFC-L8900', 'Xerox VersaLink'] as const;
export const LAPTOP_MODELS = ['Dell Latitude 5540', 'Lenovo ThinkPad T14', 'HP EliteBook 840', 'Surface Laptop 5'] as const;
export const LICENSES = ['Microsoft 365 Business Premium', 'Microsoft 365 Business Standard', 'Exchange Online Plan 1'] as const;
export const NETWORK_VENDORS = ['FortiGate', 'SonicWall', 'Meraki', 'WatchGuard'] as const;
export const SHARED_MAILBOXES = ['Accounts', 'Info', 'Support', 'Sales', 'Bookings', 'Reception'] as const;

export interface WorkType {
  name: string;
  billable: boolean;
}

export const WORK_TYPES = {
  remote: { name: 'Remote Support', billable: true },
  onsite: { name: 'Onsite Support', billable: true },
  afterHours: { name: 'After Hours Support', billable: true },
  project: { name: 'Project Work', billable: true },
  admin: { name: 'Administrative', billable: false },
  internal: { name: 'Internal', billable: false },
} as const satisfies Record<string, WorkType>;
export type WorkTypeKey = keyof typeof WORK_TYPES;

/**
 * How a time entry's work type shows in its notes: "Onsite: " + the ticket's note. Remote and
 * administrative work is written without a prefix.
 */
export const WORK_NOTE_PREFIXES: Partial<Record<WorkTypeKey, string>> = {
  onsite: 'Onsite: ',
  afterHours: 'After hours: ',
  project: 'Project: ',
};

/** Notes of time charged to no ticket; time on a ticket uses its template's `notes` instead. */
export const TIME_ENTRY_NOTES: Record<'admin' | 'internal', readonly string[]> = {
  admin: [
    'Updated ticket notes and documentation.',
    'Prepared the quote and sent it to the client for approval.',
    'Ordered hardware from the distributor and tracked shipping.',
    'Reviewed licence counts with the office manager.',
  ],
  internal: [
    'Weekly team meeting.',
    'Patch Tuesday review and approvals.',
    'Internal training: PowerShell for Intune.',
    'Updated the internal knowledge base.',
    'Monthly backup restore test.',
    'Reviewed RMM alerts and tuned thresholds.',
  ],
};

/** Survey comments by sentiment; `{tech}` is the ticket owner's first name. */
export const CSAT_COMMENTS: Record<'positive' | 'neutral' | 'negative', readonly string[]> = {
  positive: [
    'Quick and friendly fix, thanks!',
    '{tech} was brilliant, sorted it in minutes.',
    'Great service as always.',
    'Very patient and explained everything clearly.',
    'Fixed first time, much appreciated.',
    'Thanks {tech}, everything works again.',
    'Fast response on a busy morning, thank you.',
    'Super helpful, thank you!',
    '{tech} went above and beyond.',
    'Problem solved before I finished my coffee.',
  ],
  neutral: [
    'Fixed in the end, but it took a few days.',
    'OK, though I had to chase for an update.',
    'Resolved, but the issue came back once before.',
    'Fine, would have liked a call back sooner.',
    'It works now.',
  ],
  negative: [
    'Took far too long to get a response.',
    'Problem is still not fully fixed.',
    'Had to explain the issue three times to different people.',
    'Nobody told me the ticket was closed.',
    'The fix broke something else.',
  ],
};

export type S1Confidence = 'malicious' | 'suspicious';

export interface SentinelOneThreat {
  classification: string;
  threatName: string;
  confidence: S1Confidence;
}

/** SentinelOne threats; the alert title is `{classification}: {threatName}`. */
export const SENTINELONE_THREATS: readonly SentinelOneThreat[] = [
  { classification: 'Malware', threatName: 'Emotet.dll', confidence: 'malicious' },
  { classification: 'Ransomware', threatName: 'LockBit.exe', confidence: 'malicious' },
  { classification: 'Ransomware', threatName: 'BlackCat.exe', confidence: 'malicious' },
  { classification: 'Trojan', threatName: 'QakBot.dll', confidence: 'malicious' },
  { classification: 'Trojan', threatName: 'invoice_0423.js', confidence: 'malicious' },
  { classification: 'Malware', threatName: 'AgentTesla.exe', confidence: 'malicious' },
  { classification: 'Infostealer', threatName: 'RedLine.exe', confidence: 'malicious' },
  { classification: 'Exploit', threatName: 'CVE-2023-36884.docx', confidence: 'malicious' },
  { classification: 'Backdoor', threatName: 'CobaltStrike.bin', confidence: 'malicious' },
  { classification: 'PUA', threatName: 'AnyDesk.exe', confidence: 'suspicious' },
  { classification: 'PUA', threatName: 'uTorrent.exe', confidence: 'suspicious' },
  { classification: 'PUA', threatName: 'WebCompanion.exe', confidence: 'suspicious' },
  { classification: 'Hacktool', threatName: 'mimikatz.exe', confidence: 'suspicious' },
  { classification: 'Hacktool', threatName: 'PsExec.exe', confidence: 'suspicious' },
  { classification: 'Adware', threatName: 'OneLaunch.exe', confidence: 'suspicious' },
  { classification: 'Generic.Heuristic', threatName: 'setup_x64.exe', confidence: 'suspicious' },
];

export interface DefenderAlertType {
  title: string;
  severity: Exclude<AlertSeverity, 'critical'>;
}

/** Defender for Endpoint alert titles with their usual severity (Defender never says "critical"). */
export const DEFENDER_ALERTS: readonly DefenderAlertType[] = [
  { title: 'Suspicious PowerShell command line', severity: 'medium' },
  { title: 'Possible credential theft activity', severity: 'high' },
  { title: "Suspicious access to LSASS service", severity: 'high' },
  { title: 'Ransomware behavior detected in the file system', severity: 'high' },
  { title: 'An active Cobalt Strike malware was detected', severity: 'high' },
  { title: 'Suspicious process injection observed', severity: 'medium' },
  { title: 'Anomalous scheduled task created', severity: 'medium' },
  { title: 'Suspicious file dropped by Office application', severity: 'medium' },
  { title: "'Wacatac' malware was prevented", severity: 'low' },
  { title: 'Malicious URL was clicked on a device', severity: 'medium' },
  { title: 'Unusual sign-in to a device', severity: 'low' },
  { title: 'Potentially unwanted application detected', severity: 'low' },
  { title: 'Microsoft Defender Antivirus tampering', severity: 'high' },
  { title: 'Suspicious remote desktop connection', severity: 'medium' },
  { title: 'Attack surface reduction rule blocked an action', severity: 'informational' },
  { title: 'Test alert: EICAR file detected', severity: 'informational' },
];

/**
 * Device name patterns: `{nnn}`/`{nn}` are zero-padded numbers, `{dept}` a department code,
 * `{role}` a server role. Examples: LAPTOP-023, DESKTOP-ACCT07, SRV-DC01, HR-PC04.
 */
export const DEVICE_PATTERNS = ['LAPTOP-{nnn}', 'LAPTOP-{nnn}', 'DESKTOP-{dept}{nn}', '{dept}-PC{nn}', 'WS-{dept}{nn}', 'SRV-{role}{nn}'] as const;
export const DEPARTMENTS = ['ACCT', 'HR', 'SALES', 'OPS', 'RECEP', 'ENG', 'MKT', 'LEGAL', 'ADMIN'] as const;
export const SERVER_ROLES = ['DC', 'FS', 'SQL', 'APP', 'RDS', 'HV', 'BKP', 'PRINT'] as const;
