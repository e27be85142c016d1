Console.Error.WriteLine("KafkaCdc DevStack: not implemented yet");
return 1;
