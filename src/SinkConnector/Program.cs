return await KafkaCdc.SinkConnector.SinkProgram.RunAsync(args, Console.Out, Console.Error);
