// Till's hosted form on Azure: N stateless sync-server instances on App Service (Linux, Node 20),
// Azure SQL as the ledger (Entra ID only, the app's managed identity), Service Bus between ingest
// and the capture workers, Key Vault for the gateway key, Application Insights on a Log
// Analytics workspace. Deploy into an existing resource group:
//
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam -p gatewayApiKey=<key>
//
// Then run the one step Bicep cannot do (creating the app's database user): see
// docs/deploy-azure.md and the `sqlGrantScript` output. Every resource type, API version and
// property below was checked against Microsoft's published schema: infra/README.md has the table.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Short prefix of every resource name (letters and digits).')
@minLength(3)
@maxLength(10)
param name string = 'till'

@description('Region of every resource.')
param location string = resourceGroup().location

@description('App Service plan SKU (Premium v3: zone redundancy, VNet integration, enough memory for the Node process).')
@allowed(['P0v3', 'P1v3', 'P2v3', 'P3v3', 'P1mv3', 'P2mv3'])
param appServicePlanSku string = 'P1v3'

@description('Instances of the sync server. Two or more: health-check replacement and rolling restarts need a second one.')
@minValue(2)
@maxValue(30)
param instanceCount int = 2

@description('Spread the plan, the database and the Service Bus namespace over availability zones (region must support it).')
param zoneRedundant bool = false

@description('Display name of the Entra ID group that administers the SQL server (its members run the post-deploy T-SQL).')
param sqlAdminGroupName string

@description('Object id of that Entra ID group.')
param sqlAdminGroupObjectId string

@description('Database SKU: General Purpose serverless (GP_S_Gen5_<vCores>) or a DTU Standard tier (S1-S3).')
@allowed(['GP_S_Gen5_1', 'GP_S_Gen5_2', 'GP_S_Gen5_4', 'GP_S_Gen5_8', 'S1', 'S2', 'S3'])
param sqlDatabaseSku string = 'GP_S_Gen5_2'

@description('Serverless only: minutes idle before the database pauses; -1 never pauses (a paused database makes the first sale after a quiet night wait for it to resume).')
param sqlAutoPauseDelayMinutes int = -1

@description('Serverless only: the least vCores kept, as a decimal string.')
param sqlServerlessMinCapacity string = '0.5'

@description('Backup storage redundancy of the database.')
@allowed(['Local', 'Zone', 'Geo', 'GeoZone'])
param sqlBackupStorageRedundancy string = 'Geo'

@description('How the app reaches SQL: over the public endpoint limited to Azure services, or a private endpoint in a new VNet (public access off).')
@allowed(['azureServices', 'privateEndpoint'])
param sqlConnectivity string = 'azureServices'

@description('Address space of the VNet (privateEndpoint only).')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('Card gateway API base URL (Stripe-compatible).')
param gatewayUrl string = 'https://api.stripe.com'

@description('Gateway secret key, written to Key Vault as `gateway-api-key`. Required on the first deployment; leave empty later to keep the stored one (rotate it in Key Vault).')
@secure()
param gatewayApiKey string = ''

@description('Gateway calls per second, per instance (live captures and the capture worker each). Keep instanceCount x this under the gateway\'s limit.')
@minValue(1)
param gatewayRatePerSecond int = 20

@description('Name of the Service Bus queue the capture workers consume.')
param serviceBusQueueName string = 'captures'

@description('Object id of a person or group that may set and rotate Key Vault secrets (Key Vault Secrets Officer). Empty: none is granted.')
param keyVaultSecretsOfficerObjectId string = ''

@description('Days the Log Analytics workspace keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------
// Names and constants
// ---------------------------------------------------------------------------------------------

// Lower case: SQL server and App Service names allow no capitals; the suffix makes the globally
// unique names (app, SQL server, Service Bus, Key Vault) unique per resource group.
var prefix = toLower(name)
var suffix = uniqueString(resourceGroup().id, prefix)
var appName = '${prefix}-${suffix}'
var sqlServerName = '${prefix}-sql-${suffix}'
var sqlDatabaseName = 'till'
var serviceBusName = '${prefix}-sb-${suffix}'
var keyVaultName = take('${prefix}kv${suffix}', 24)
var gatewaySecretName = 'gateway-api-key'
var usePrivateEndpoint = sqlConnectivity == 'privateEndpoint'
var serverless = startsWith(sqlDatabaseSku, 'GP_S_')

// Built-in role definition ids (the same in every tenant).
var roles = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

var databaseSkus = {
  GP_S_Gen5_1: { name: 'GP_S_Gen5', tier: 'GeneralPurpose', family: 'Gen5', capacity: 1 }
  GP_S_Gen5_2: { name: 'GP_S_Gen5', tier: 'GeneralPurpose', family: 'Gen5', capacity: 2 }
  GP_S_Gen5_4: { name: 'GP_S_Gen5', tier: 'GeneralPurpose', family: 'Gen5', capacity: 4 }
  GP_S_Gen5_8: { name: 'GP_S_Gen5', tier: 'GeneralPurpose', family: 'Gen5', capacity: 8 }
  S1: { name: 'S1', tier: 'Standard' }
  S2: { name: 'S2', tier: 'Standard' }
  S3: { name: 'S3', tier: 'Standard' }
}

// ---------------------------------------------------------------------------------------------
// Monitoring: Log Analytics + workspace-based Application Insights
// ---------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: '${prefix}-logs-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-appi-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault (RBAC) with the gateway key
// ---------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource gatewaySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(gatewayApiKey)) {
  parent: keyVault
  name: gatewaySecretName
  properties: {
    value: gatewayApiKey
    contentType: 'text/plain'
  }
}

// ---------------------------------------------------------------------------------------------
// Azure SQL: logical server (Entra ID only) and the ledger database
// ---------------------------------------------------------------------------------------------

resource sqlServer 'Microsoft.Sql/servers@2023-08-01' = {
  name: sqlServerName
  location: location
  tags: tags
  properties: {
    version: '12.0'
    minimalTlsVersion: '1.2'
    publicNetworkAccess: usePrivateEndpoint ? 'Disabled' : 'Enabled'
    // Read at creation only (the schema says so); change the admin group later with
    // `az sql server ad-admin create`. Entra-only: no SQL login or password exists.
    administrators: {
      administratorType: 'ActiveDirectory'
      principalType: 'Group'
      login: sqlAdminGroupName
      sid: sqlAdminGroupObjectId
      tenantId: subscription().tenantId
      azureADOnlyAuthentication: true
    }
  }
}

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule: any Azure-hosted client may try, and
// must still authenticate with Entra ID. The private endpoint option replaces it.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01' = if (!usePrivateEndpoint) {
  parent: sqlServer
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// Serverless settings only on a serverless SKU; zone redundancy only where the tier offers it
// (General Purpose; DTU Standard does not).
var databaseProperties = {
  collation: 'SQL_Latin1_General_CP1_CI_AS'
  zoneRedundant: serverless ? zoneRedundant : false
  requestedBackupStorageRedundancy: sqlBackupStorageRedundancy
}
var serverlessProperties = serverless ? { autoPauseDelay: sqlAutoPauseDelayMinutes, minCapacity: json(sqlServerlessMinCapacity) } : {}

resource sqlDatabase 'Microsoft.Sql/servers/databases@2023-08-01' = {
  parent: sqlServer
  name: sqlDatabaseName
  location: location
  tags: tags
  sku: databaseSkus[sqlDatabaseSku]
  properties: union(databaseProperties, serverlessProperties)
}

// ---------------------------------------------------------------------------------------------
// Service Bus: Standard namespace (duplicate detection needs Standard or Premium), the queue
// ---------------------------------------------------------------------------------------------

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: serviceBusName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true // Entra ID only: no SAS keys to leak or rotate
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled' // Standard has no private endpoints; access needs the RBAC roles below
    zoneRedundant: zoneRedundant
  }
}

resource capturesQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: serviceBus
  name: serviceBusQueueName
  properties: {
    // Message id = payment id: a publish retried by the outbox relay within the window is
    // dropped by Service Bus. SQL stays the source of truth beyond it. Cannot change after creation.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    // Longer than a gateway call (GATEWAY_TIMEOUT_MS, 4 s) plus a rate-limit wait; the worker
    // renews the lock while a call runs. Five minutes is the maximum.
    lockDuration: 'PT1M'
    // The worker dead-letters a poison message itself after CAPTURE_MAX_DELIVERY (5) with a
    // reason; 10 is Service Bus's own backstop.
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    requiresSession: false
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

// ---------------------------------------------------------------------------------------------
// Network (privateEndpoint only): VNet integration for the app, a private endpoint for SQL
// ---------------------------------------------------------------------------------------------

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = if (usePrivateEndpoint) {
  name: '${prefix}-vnet-${suffix}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [vnetAddressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 0)
          delegations: [{ name: 'app-service', properties: { serviceName: 'Microsoft.Web/serverFarms' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource sqlPrivateDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = if (usePrivateEndpoint) {
  name: 'privatelink${environment().suffixes.sqlServerHostname}'
  location: 'global'
  tags: tags
}

resource sqlPrivateDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (usePrivateEndpoint) {
  parent: sqlPrivateDnsZone
  name: 'till-vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}

resource sqlPrivateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = if (usePrivateEndpoint) {
  name: '${prefix}-sql-pe-${suffix}'
  location: location
  tags: tags
  properties: {
    subnet: { id: '${vnet.id}/subnets/private-endpoints' }
    privateLinkServiceConnections: [
      {
        name: 'sql'
        properties: {
          privateLinkServiceId: sqlServer.id
          groupIds: ['sqlServer']
        }
      }
    ]
  }
}

resource sqlPrivateDnsGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = if (usePrivateEndpoint) {
  parent: sqlPrivateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [{ name: 'sql', properties: { privateDnsZoneId: sqlPrivateDnsZone.id } }]
  }
}

// ---------------------------------------------------------------------------------------------
// App Service: the plan and the sync server
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: '${prefix}-plan-${suffix}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
    zoneRedundant: zoneRedundant
  }
}

var sqlConnectionString = 'Server=tcp:${sqlServer.properties.fullyQualifiedDomainName},1433;Database=${sqlDatabaseName};Authentication=Active Directory Managed Identity;Encrypt=True;Connect Timeout=30'

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // nothing lives in one instance's memory: no sticky sessions
    keyVaultReferenceIdentity: 'SystemAssigned'
    virtualNetworkSubnetId: usePrivateEndpoint ? '${vnet.id}/subnets/app' : null
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // tsx runs the TypeScript sources (as `npm start` does); `node` directly, so SIGTERM on a
      // restart reaches the server and it closes gracefully.
      appCommandLine: 'node --import tsx sync-server/src/server.ts'
      alwaysOn: true
      healthCheckPath: '/api/v1/health'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        { name: 'HOST', value: '0.0.0.0' } // PORT is set by App Service
        // App Service's front end terminates TLS: trust its X-Forwarded-Proto/-Host/-For (one hop),
        // or the console's Secure cookie and Origin check would see http.
        { name: 'TRUST_PROXY_HOPS', value: '1' }
        { name: 'AZURE_SQL_CONNECTION_STRING', value: sqlConnectionString }
        { name: 'CAPTURE_QUEUE', value: 'servicebus' }
        { name: 'SERVICE_BUS_NAMESPACE', value: '${serviceBus.name}.servicebus.windows.net' }
        { name: 'SERVICE_BUS_QUEUE', value: capturesQueue.name }
        { name: 'CAPTURE_WORKER', value: 'on' }
        { name: 'GATEWAY_URL', value: gatewayUrl }
        {
          name: 'GATEWAY_API_KEY'
          value: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=${gatewaySecretName})'
        }
        { name: 'GATEWAY_RATE_PER_SECOND', value: string(gatewayRatePerSecond) }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'OTEL_SERVICE_NAME', value: 'till-sync-server' }
        // The app instruments itself (OpenTelemetry, Azure Monitor distro); App Service's own
        // agent would instrument it a second time.
        { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: 'disabled' }
        { name: 'LOG_LEVEL', value: 'info' }
        // Oryx builds on deploy: npm install (native better-sqlite3 for the Linux image) and
        // npm run build (the PWA the server also serves).
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        // An instance failing /api/v1/health (its database check) leaves the rotation after
        // 5 failed one-minute pings instead of 10.
        { name: 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES', value: '5' }
      ]
    }
  }
}

// No basic-auth (publishing profile) deployments: deploy with Entra ID (`az webapp deploy`).
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

// ---------------------------------------------------------------------------------------------
// Role assignments for the app's managed identity
// ---------------------------------------------------------------------------------------------

resource appSendsCaptures 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, app.id, roles.serviceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appReceivesCaptures 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, app.id, roles.serviceBusDataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, app.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorManagesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultSecretsOfficerObjectId)) {
  scope: keyVault
  name: guid(keyVault.id, keyVaultSecretsOfficerObjectId, roles.keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: keyVaultSecretsOfficerObjectId
  }
}

// ---------------------------------------------------------------------------------------------
// Diagnostics to the workspace: what to watch (docs/deploy-azure.md has the queries)
// ---------------------------------------------------------------------------------------------

resource serviceBusDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: serviceBus
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [{ category: 'OperationalLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }] // DeadletteredMessages, ActiveMessages, …
  }
}

resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: app
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true } // the server's JSON log lines
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [{ category: 'AllMetrics', enabled: true }] // HealthCheckStatus, Http5xx, …
  }
}

resource sqlDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: sqlDatabase
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    metrics: [{ category: 'Basic', enabled: true }]
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

output appUrl string = 'https://${app.properties.defaultHostName}'
output appName string = app.name
@description('Object id of the app\'s managed identity (its Service Bus, Key Vault and SQL access).')
output appPrincipalId string = app.identity.principalId
output sqlServerFqdn string = sqlServer.properties.fullyQualifiedDomainName
output sqlDatabaseName string = sqlDatabase.name
output serviceBusNamespace string = '${serviceBus.name}.servicebus.windows.net'
output serviceBusQueue string = capturesQueue.name
output keyVaultName string = keyVault.name
output appInsightsName string = appInsights.name
output logAnalyticsWorkspaceId string = logs.properties.customerId
@description('Run once in the database as a member of the SQL admin group (docs/deploy-azure.md, step 3). db_owner: the migrator\'s sp_getapplock lock (@DbPrincipal = dbo) needs it.')
output sqlGrantScript string = 'CREATE USER [${app.name}] FROM EXTERNAL PROVIDER; ALTER ROLE db_owner ADD MEMBER [${app.name}];'
