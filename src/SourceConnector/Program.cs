return await KafkaCdc.SourceConnector.SourceProgram.MainAsync(args);
