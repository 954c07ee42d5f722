"""Names and language mixes for a lived-in demo region. Invented people, real naming patterns."""

# (first names, last names, languages with level, Dutch levels seen, municipalities)
UKRAINIAN_FIRST = ["Олена", "Олександр", "Ірина", "Андрій", "Наталія", "Богдан", "Оксана",
                   "Дмитро", "Юлія", "Тарас", "Світлана", "Максим", "Марія", "Віталій"]
UKRAINIAN_LAST = ["Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник",
                  "Олійник", "Поліщук", "Савченко", "Гнатюк", "Лисенко", "Руденко"]
RUSSIAN_FIRST = ["Анна", "Сергей", "Екатерина", "Алексей", "Татьяна", "Николай", "Людмила",
                 "Игорь", "Виктория", "Юрий"]
RUSSIAN_LAST = ["Иванова", "Петров", "Соколова", "Кузнецов", "Попова", "Морозов", "Волкова",
                "Лебедев"]
# Arabic script with the Latin spelling people use on Dutch documents.
SYRIAN_FIRST = [("محمد", "Mohammed"), ("أحمد", "Ahmad"), ("فاطمة", "Fatima"), ("رنا", "Rana"),
                ("خالد", "Khaled"), ("ليلى", "Layla"), ("عمر", "Omar"), ("هبة", "Heba"),
                ("يوسف", "Youssef"), ("نور", "Nour"), ("سامر", "Samer"), ("ريم", "Reem")]
SYRIAN_LAST = [("الحلبي", "Al-Halabi"), ("السيد", "Al-Sayed"), ("حداد", "Haddad"),
               ("الخطيب", "Al-Khatib"), ("درويش", "Darwish"), ("النجار", "Al-Najjar"),
               ("العلي", "Al-Ali"), ("شامي", "Shami")]
AFGHAN_FIRST = [("احمد شاه", "Ahmad Shah"), ("زهرا", "Zahra"), ("مریم", "Maryam"),
                ("فرید", "Farid"), ("سهیلا", "Soheila"), ("جاوید", "Javid"), ("نرگس", "Narges")]
AFGHAN_LAST = [("احمدی", "Ahmadi"), ("حیدری", "Haidari"), ("رحیمی", "Rahimi"),
               ("کریمی", "Karimi"), ("نوری", "Noori"), ("صدیقی", "Sediqi")]
ERITREAN_FIRST = ["Semhar", "Yonas", "Helen", "Tesfaye", "Selam", "Dawit", "Luwam", "Merhawi",
                  "Saba", "Filmon", "ሰላም", "ዮናስ"]
ERITREAN_LAST = ["Tesfamariam", "Ghebreyesus", "Kidane", "Habte", "Woldemichael", "Berhane",
                 "Tekle", "Mehari"]
OTHER_LATIN = [("Ayaan", "Warsame", "so"), ("Hodan", "Abdi", "so"), ("Mehmet", "Yılmaz", "tr"),
               ("Elif", "Çelik", "tr"), ("José", "Muñoz", "en"), ("Amélie", "Nkurunziza", "fr")]

# Group, share of candidates, languages (code, level), Dutch levels to draw from.
GROUPS = [
    ("ukrainian", 0.38, [("uk", "native"), ("ru", "good")], ["none", "A1", "A1", "A2", "B1"]),
    ("russian", 0.10, [("ru", "native"), ("uk", "good")], ["none", "A1", "A2"]),
    ("syrian", 0.22, [("ar", "native")], ["A1", "A2", "A2", "B1", "B2"]),
    ("eritrean", 0.13, [("ti", "native"), ("am", "basic")], ["none", "A1", "A2", "A2"]),
    ("afghan", 0.12, [("prs", "native"), ("fa", "good")], ["none", "A1", "A2", "B1"]),
    ("other", 0.05, [], ["A1", "A2", "B1"]),
]

MUNICIPALITIES = ["Amsterdam", "Zaanstad", "Amstelveen", "Diemen", "Haarlemmermeer", "Purmerend",
                  "Ouder-Amstel", "Aalsmeer", "Uithoorn", "Landsmeer"]

EXPERIENCE = [
    "Verpleegkundige, 6 jaar in ziekenhuis", "Lasser en monteur", "Vrachtwagenchauffeur (C/E)",
    "Kapper, eigen salon", "Docent wiskunde", "Kok in restaurant", "Boekhouder",
    "Elektricien", "Magazijnmedewerker", "Programmeur (Java)", "Schoonmaker in hotel",
    "Bouwvakker, tegelzetter", "Naaister", "Kinderopvang", "Landbouw, kassen",
]

ORGANISATIONS = [
    ("Zorggroep Amstelland", "care"), ("Cordaan Thuiszorg Noord", "care"),
    ("Ziekenhuis Westrand", "care"), ("TechnoInstall Zaandam", "technology"),
    ("Van Dam Elektrotechniek", "technology"), ("Koelservice Holland", "technology"),
    ("Schiphol Cargo Handling", "logistics"), ("DistriCentrum Westpoort", "logistics"),
    ("Fresh Logistics Aalsmeer", "logistics"), ("Bouwbedrijf De Vries & Zn", "construction"),
    ("Infra Noord-Holland", "construction"), ("Renovatie Groep Amsterdam", "construction"),
    ("Hotel Amstelzicht", "hospitality"), ("Grand Café De Waag", "hospitality"),
    ("Catering Zuidas", "hospitality"), ("Schoonmaakbedrijf Helder", "cleaning"),
    ("CleanTeam Metropool", "cleaning"), ("IT Talent Hub", "ict"),
    ("Datacenter Science Park", "ict"), ("Stichting Kinderopvang Oost", "education"),
    ("ROC Amstel Vakschool", "education"), ("Supermarkt Buurtvers", "retail"),
    ("Bouwmarkt Zaanstreek", "retail"), ("Bakkerij Het Zoete Brood", "manufacturing"),
    ("Chocoladefabriek Zaandijk", "manufacturing"), ("Metaalwerk Purmerend", "manufacturing"),
    ("GVB Vervoer", "transport"), ("Taxicentrale Stad", "transport"),
    ("Kwekerij Groen Aalsmeer", "agriculture"), ("Gemeente Diemen", "government"),
]

INTERPRETERS = [
    ("Oksana Petrenko", ["uk", "ru"], "Tolkcentrum Amsterdam", True),
    ("Iryna Boyko", ["uk", "ru"], "", False),
    ("Pavlo Marchenko", ["uk"], "", False),
    ("Mikhail Orlov", ["ru", "uk"], "Tolkcentrum Amsterdam", True),
    ("Samira Haddad", ["ar"], "Taalbrug Tolken", True),
    ("Walid Mansour", ["ar"], "", False),
    ("Rania Azzam", ["ar", "en"], "", False),
    ("Tekle Habtom", ["ti", "am"], "Taalbrug Tolken", True),
    ("Senait Kifle", ["ti"], "", False),
    ("Hamid Rezaei", ["prs", "fa"], "Tolkcentrum Amsterdam", True),
    ("Shabnam Azizi", ["prs", "fa", "ps"], "", False),
    ("Abdirahman Yusuf", ["so", "ar"], "", False),
]
