// Example parameters: copy, fill in the two Entra ID values, and deploy with
//   TILL_GATEWAY_API_KEY=<key> az deployment group create -g <rg> --parameters infra/main.bicepparam
// The gateway key comes from the environment of the deploying shell or pipeline, never from a file.
using './main.bicep'

param name = 'till'
param appServicePlanSku = 'P1v3'
param instanceCount = 2
param zoneRedundant = false

// The Entra ID group whose members administer the SQL server and run the post-deploy T-SQL.
param sqlAdminGroupName = 'till-sql-admins'
param sqlAdminGroupObjectId = '00000000-0000-0000-0000-000000000000'

param sqlDatabaseSku = 'GP_S_Gen5_2'
param sqlAutoPauseDelayMinutes = -1
param sqlBackupStorageRedundancy = 'Geo'
param sqlConnectivity = 'azureServices'

param gatewayUrl = 'https://api.stripe.com'
// Empty on later deployments keeps the key already in Key Vault (rotate it there).
param gatewayApiKey = readEnvironmentVariable('TILL_GATEWAY_API_KEY', '')
param gatewayRatePerSecond = 20
param serviceBusQueueName = 'captures'

// Who may set and rotate the gateway key in Key Vault (a person or an operators' group).
param keyVaultSecretsOfficerObjectId = ''

param logRetentionDays = 30
param tags = { app: 'till' }
