// extensionCommands are the commands the extension itself registers. The
// commands the server executes (its executeCommandProvider) are registered
// by the language client; registering one of those here as well makes the
// client fail to start.
export const extensionCommands = [
  "connls.generateConnid",
  "connls.regenerateConnid",
  "connls.generateUpdate",
  "connls.regenerateUpdate",
  "connls.restartServer",
  "connls.showServerLog",
  "connls.showConnectorPicture",
  "connls.scaffoldConnector",
] as const;
