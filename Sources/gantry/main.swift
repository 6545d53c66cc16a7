import GantryCommand

await GantryCommand.start()
