// Azure resources of one deployed Passerelle environment (teamsapp.yml, arm/deploy):
// a Linux App Service running the Node server (bot + tab + API on one host) and an Azure Bot
// registration with the Teams channel. MongoDB is not created here: give its connection string
// as SECRET_MONGODB_URI (env/.env.<env>.user), e.g. Azure Cosmos DB for MongoDB vCore or Atlas.
// Kept under manifest/infra/ because the repository's top-level folders are fixed.

@maxLength(20)
@minLength(4)
@description('Base name of every resource (also the App Service host name: <name>.azurewebsites.net).')
param resourceBaseName string

@description('Environment name (PASSERELLE_ENV on the server).')
param passerelleEnv string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest with Always On, which a bot needs.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string

@description('Entra app id of the bot (BOT_ID, created by botAadApp/create).')
param botAadAppClientId string

@secure()
param botAadAppClientSecret string

@description('Microsoft 365 tenant in which the Entra apps were created.')
param tenantId string

@description('Entra app of the tab SSO and of the Microsoft Graph calls (AAD_APP_CLIENT_ID).')
param aadAppClientId string

@secure()
param aadAppClientSecret string

@secure()
@description('MongoDB connection string (mongodb:// or mongodb+srv://).')
param mongodbUri string

param mongodbDb string = 'passerelle'

var hostName = '${resourceBaseName}.azurewebsites.net'

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      // A supported Node LTS (Node 20 reached its end of life on 2026-04-30).
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      // The deployed bundle (npm run bundle) holds the compiled server and its production dependencies;
      // its package.json's start is `node bot/index.js`: nothing is built or compiled on the App Service.
      appCommandLine: 'npm start'
      appSettings: [
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'PASSERELLE_ENV'
          value: passerelleEnv
        }
        {
          name: 'HOST'
          value: '0.0.0.0' // App Service provides PORT
        }
        {
          name: 'PUBLIC_URL'
          value: 'https://${hostName}'
        }
        {
          name: 'BOT_ID'
          value: botAadAppClientId
        }
        {
          name: 'BOT_TYPE'
          value: 'SingleTenant'
        }
        {
          name: 'BOT_TENANT_ID'
          value: tenantId
        }
        {
          name: 'SECRET_BOT_PASSWORD'
          value: botAadAppClientSecret
        }
        {
          name: 'AAD_APP_CLIENT_ID'
          value: aadAppClientId
        }
        {
          name: 'AAD_APP_TENANT_ID'
          value: tenantId
        }
        {
          name: 'SECRET_AAD_APP_CLIENT_SECRET'
          value: aadAppClientSecret
        }
        {
          name: 'MONGODB_URI'
          value: mongodbUri
        }
        {
          name: 'MONGODB_DB'
          value: mongodbDb
        }
        {
          name: 'DEFAULT_LOCALE'
          value: 'fr-FR'
        }
        {
          name: 'TRUST_CLIENT_LOCALE'
          value: 'true'
        }
        {
          name: 'PLAYGROUND_ENABLED'
          value: 'false'
        }
        {
          name: 'LOG_LEVEL'
          value: 'info'
        }
      ]
    }
  }
}

// Multi-tenant bot registrations can no longer be created: SingleTenant in the apps' tenant.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${hostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written by Teams Toolkit into env/.env.<env>.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output PUBLIC_URL string = 'https://${webApp.properties.defaultHostName}'
output BOT_TENANT_ID string = tenantId
