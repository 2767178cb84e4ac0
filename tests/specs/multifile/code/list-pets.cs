var pets = client.Pets.List();
