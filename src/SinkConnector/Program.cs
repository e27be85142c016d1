Console.Error.WriteLine("KafkaCdc SinkConnector: not implemented yet");
return 1;
