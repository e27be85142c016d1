KafkaCdc.SourceConnector.SourceProgram.RunSocketCompletionsInline();
return await KafkaCdc.SourceConnector.SourceProgram.MainAsync(args);
