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
}

export const TICKET_TEMPLATES: readonly TicketTemplate[] = [
  // Service board: break/fix and requests.
  {
    board: 'Service',
    level: 'normal',
    summary: 'Printer on {floor} floor offline',
    description: '{printer} on the {floor} floor shows offline for everyone. Power cycled it, still not printing.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'New hire onboarding: {user}, start {weekday}',
    description:
      'Please set up {user}: M365 account ({license}), laptop, VPN and access to the {share} share before {weekday}.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Offboarding: {user} leaving {weekday}',
    description: 'Disable sign-in for {user} on {weekday} at 5pm, convert the mailbox to shared and forward it to their manager.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'VPN drops every {n} minutes',
    description: '{user} working from home loses the VPN connection every {n} minutes. Started after the last Windows update.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Outlook search not returning results',
    description: 'Searching in Outlook returns nothing for mail older than a week. {user} needs to find an old invoice thread.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Replace failing SSD on {device}',
    description: 'SMART warnings on {device}; the disk is reporting reallocated sectors. Back up the profile and replace the SSD.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Password reset for {user}',
    description: '{user} is locked out after too many attempts and cannot reach the self-service reset page.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'MFA prompts not arriving on new phone',
    description: '{user} got a new phone and no longer receives Authenticator prompts. Needs MFA re-registration.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Internet down at {site}',
    description: 'No internet at {site} since this morning. {isp} modem lights are amber. Whole office affected.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'File server not reachable',
    description: 'Nobody can open the {share} share; mapped drives show a red X. {server} does not answer ping.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: '{app} crashes on startup',
    description: '{app} closes right after the splash screen on {device}. Reinstalling did not help.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Teams camera not detected',
    description: '{user} cannot use the webcam in Teams meetings; the camera works in the Windows Camera app.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Add {user} to the {mailbox} shared mailbox',
    description: 'Please give {user} full access and send-as on the {mailbox} shared mailbox.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Suspicious email reported by {user}',
    description:
      '{user} received an invoice email with a link to a fake Microsoft login page. Did not enter credentials. Please check the tenant.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Possible compromised mailbox: {user}',
    description: 'Partners received phishing emails sent from {user}. Inbox rules were created overnight forwarding mail externally.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Slow performance on {device}',
    description: '{device} takes over five minutes to boot and {app} freezes several times a day.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Request: second monitor for {user}',
    description: '{user} would like a second 24" monitor and a dock for their desk on the {floor} floor.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Cannot connect to Wi-Fi at {site}',
    description: 'Several laptops at {site} see the network but fail to authenticate. Wired connections are fine.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Backup job failed on {server}',
    description: 'Nightly backup of {server} failed {n} nights in a row with a VSS snapshot error.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Scanner not sending to email',
    description: 'Scan-to-email on the {printer} fails with an SMTP authentication error since the password change.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'OneDrive sync stuck for {user}',
    description: 'OneDrive shows "processing changes" for days on {device}; files edited on the laptop are not in the cloud.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Mapped drive missing after reboot',
    description: 'The {share} drive is missing on {device} after every restart; mapping it by hand works until the next reboot.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Install {app} for {user}',
    description: 'Please install {app} on {device}. Licence key is in the shared vault.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Phones down at {site}',
    description: 'Desk phones at {site} show "no service"; inbound calls go straight to voicemail.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Shared calendar permissions for {mailbox}',
    description: 'Staff can see the {mailbox} calendar but cannot add bookings. Needs editor rights for the team.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Laptop battery drains quickly on {device}',
    description: '{user} reports the battery on {device} lasts under an hour. Battery report shows wear above 40%.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Windows update stuck on {device}',
    description: '{device} has been stuck at "Working on updates 30%" since last night.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Outlook keeps prompting for password',
    description: '{user} gets a credentials prompt in Outlook every few minutes. Webmail works fine.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'SentinelOne threat detected on {device}',
    description: 'SentinelOne quarantined a file on {device}. Please review the threat and confirm the machine is clean.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Disk space low on {device}',
    description: 'Monitoring alert: C: on {device} is below 10% free.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Email signature update for {user}',
    description: 'New job title for {user}; please update the company signature template.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: '{app} licence expired',
    description: '{app} on {device} says the licence expired. Renewal was paid last month according to accounts.',
  },
  {
    board: 'Service',
    level: 'major',
    summary: 'Server {server} unresponsive',
    description: '{server} stopped responding around {n} am; users cannot log in to {app}. Remote console shows a blue screen.',
  },
  {
    board: 'Service',
    level: 'minor',
    summary: 'Conference room display not working',
    description: 'The TV in the {floor} floor meeting room does not pick up the HDMI signal from laptops.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Access request: {share} folder for {user}',
    description: '{user} needs read/write access to the {share} folder; approved by their manager.',
  },
  {
    board: 'Service',
    level: 'normal',
    summary: 'Firewall blocking {app}',
    description: '{app} cannot reach its cloud service from {site}; works on mobile hotspot.',
  },
  // Project board: planned work.
  {
    board: 'Project',
    level: 'any',
    summary: 'Migrate {share} file share to SharePoint Online',
    description: 'Phase 1: inventory permissions on the {share} share, build the SharePoint site and pilot with {n} users.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Windows 11 upgrade: {n} workstations',
    description: 'Upgrade {n} workstations to Windows 11 23H2, verify {app} compatibility first.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Replace firewall at {site}',
    description: 'Install and configure the new {vendor} firewall at {site}, migrate VPN tunnels and rules.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Deploy Intune for mobile devices',
    description: 'Enrol company phones in Intune, set compliance policies and conditional access for M365.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Server replacement: {server}',
    description: '{server} is out of warranty. Build the new host, migrate roles and decommission the old hardware.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Office move to {site}',
    description: 'Cabling, Wi-Fi survey, printer and phone setup for the move to {site}, {n} desks.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Roll out MFA for all staff',
    description: 'Enforce MFA with conditional access for all {n} users; schedule registration sessions.',
  },
  {
    board: 'Project',
    level: 'any',
    summary: 'Backup upgrade to immutable cloud storage',
    description: 'Move the backup repository for {server} to immutable cloud storage and test restores.',
  },
  // Sales board: quotes and renewals.
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: {n}x {model} laptops',
    description: 'Customer asked for a quote on {n} {model} laptops with docks and 3-year warranty.',
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Renewal: {license} licences',
    description: 'Annual renewal of {n} {license} licences due next month. Confirm seat count with the office manager.',
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: replacement firewall for {site}',
    description: 'Prepare a quote for a {vendor} firewall with 3 years of security subscriptions for {site}.',
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Proposal: managed backup for {n} servers',
    description: 'Customer interested in managed backup with offsite copies for {n} servers.',
  },
  {
    board: 'Sales',
    level: 'any',
    summary: 'Quote: new hire equipment for {user}',
    description: 'Laptop, monitor, headset and {license} licence for {user} starting {weekday}.',
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

export const TIME_ENTRY_NOTES: Record<WorkTypeKey, readonly string[]> = {
  remote: [
    'Remote session with {first}; cleared the Outlook cache and rebuilt the search index.',
    'Connected remotely, reinstalled {app} and confirmed it opens.',
    'Reset password and MFA registration; confirmed sign-in with {first}.',
    'Checked event logs, applied pending updates and rebooted.',
    'Remapped network drives via GPO update; tested with {first}.',
    'Called {first}, walked through the fix and confirmed the issue is gone.',
    'Reviewed the message trace and removed the malicious inbox rules.',
    'Repaired the Office installation and re-created the profile.',
    'Updated the printer driver and re-added the print queue.',
    'Investigated the alert, ran a full scan, no further detections.',
  ],
  onsite: [
    'Onsite: replaced the drive and restored the user profile from backup.',
    'Onsite: re-patched the switch port and tested the connection.',
    'Onsite: swapped the toner and fuser, printed a test page.',
    'Onsite: set up the new workstation and dual monitors for {first}.',
    'Onsite: power cycled the modem and firewall, called the ISP.',
    'Onsite: reseated the RAM and ran hardware diagnostics.',
  ],
  afterHours: [
    'After hours: restored service and verified replication.',
    'After hours: patched and rebooted the servers during the maintenance window.',
    'After hours: responded to the outage page, restarted services.',
  ],
  project: [
    'Project: migrated a batch of user folders and verified permissions.',
    'Project: built and configured the new host.',
    'Project: upgraded workstations and tested line-of-business apps.',
    'Project: configured conditional access policies and a pilot group.',
    'Project: documented the new configuration in the client runbook.',
    'Project: planning call with the client, updated the project plan.',
  ],
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
