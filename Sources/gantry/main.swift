import GantryCommand

await GantryCommand.main()
