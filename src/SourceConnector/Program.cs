Console.Error.WriteLine("KafkaCdc SourceConnector: not implemented yet");
return 1;
